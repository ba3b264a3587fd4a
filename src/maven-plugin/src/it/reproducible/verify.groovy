import groovy.json.JsonSlurper

def json = new JsonSlurper()
def index = { String run -> json.parse(new File(basedir, "out/${run}/index.json")) }
def one = index('one')
def two = index('two')
// each build used its own store: the second one had nothing cached to reuse
assert new File(basedir, 'out/store-one').isDirectory()
assert new File(basedir, 'out/store-two').isDirectory()
assert one.manifests.size() == 1
assert one.manifests[0].digest.startsWith('sha256:')
assert one.manifests[0].digest == two.manifests[0].digest
assert new File(basedir, 'out/one/index.json').bytes == new File(basedir, 'out/two/index.json').bytes

String digest = one.manifests[0].digest
def manifest = json.parse(new File(basedir, 'out/one/blobs/sha256/' + digest.substring(7)))
def config = json.parse(new File(basedir, 'out/one/blobs/sha256/' + manifest.config.digest.substring(7)))
assert config.created == '2024-01-01T00:00:00Z'
return true
