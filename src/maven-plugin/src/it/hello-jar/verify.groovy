import groovy.json.JsonSlurper
import java.util.zip.GZIPInputStream

// basedir: the cloned project directory, set by the invoker
File layout = new File(basedir, 'target/gantry/image')
def json = new JsonSlurper()
def blob = { String digest -> new File(layout, 'blobs/sha256/' + digest.substring('sha256:'.length())) }

assert new File(layout, 'oci-layout').isFile()
def index = json.parse(new File(layout, 'index.json'))
def refNames = index.manifests.collect { it.annotations['org.opencontainers.image.ref.name'] }
assert refNames.sort() == ['1.0', 'latest']
assert index.manifests*.digest.unique().size() == 1

def manifest = json.parse(blob(index.manifests[0].digest))
def config = json.parse(blob(manifest.config.digest))
assert config.config.Entrypoint == ['java', '-jar', '/app/app.jar']
assert config.config.Labels['org.opencontainers.image.version'] == '1.0'
assert config.config.Labels['org.opencontainers.image.title'] == 'hello-jar'
assert config.config.Labels['built.by'] == 'invoker'
assert config.created == '2024-01-01T00:00:00Z'
assert manifest.layers.size() == 1

// The layer: a gzip'd tar holding app/app.jar with exactly the bytes of the jar Maven built.
Map<String, byte[]> files = [:]
new DataInputStream(new GZIPInputStream(new FileInputStream(blob(manifest.layers[0].digest)))).withCloseable { tar ->
  byte[] header = new byte[512]
  String paxPath = null
  while (true) {
    tar.readFully(header)
    if (header.every { it == 0 }) break
    String name = new String(header, 0, 100, 'UTF-8').replaceAll('\u0000.*', '')
    String prefix = new String(header, 345, 155, 'UTF-8').replaceAll('\u0000.*', '')
    long size = Long.parseLong(new String(header, 124, 12, 'US-ASCII').replaceAll('[\u0000 ]', '') ?: '0', 8)
    char type = (char) header[156]
    byte[] body = new byte[(int) size]
    tar.readFully(body)
    tar.skipBytes((int) ((512 - size % 512) % 512))
    if (type == 'x') {
      def m = new String(body, 'UTF-8') =~ /(?m)^\d+ path=(.*)$/
      paxPath = m.find() ? m.group(1) : null
      continue
    }
    String path = paxPath ?: (prefix ? prefix + '/' + name : name)
    paxPath = null
    files[path] = body
  }
}
assert files.keySet().contains('app/app.jar') : "layer entries: ${files.keySet()}"
assert files['app/app.jar'] == new File(basedir, 'target/hello-jar-1.0.jar').bytes

// buildTar wrote a docker-archive with both tags.
File tar = new File(basedir, 'target/gantry/image.tar')
assert tar.isFile() && tar.length() > 0

String log = new File(basedir, 'build.log').text
assert log =~ /\[stage-0 3\/4\] COPY target\/\*\.jar \/app\/app\.jar DONE \d+\.\ds/
assert log.contains('example.com/hello-jar:1.0, example.com/hello-jar:latest')
return true
