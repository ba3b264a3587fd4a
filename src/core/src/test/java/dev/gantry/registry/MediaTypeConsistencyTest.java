package dev.gantry.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.api.BuildRequest;
import dev.gantry.api.BuildResult;
import dev.gantry.api.Gantry;
import dev.gantry.model.Output;
import dev.gantry.oci.MediaType;
import dev.gantry.oracle.ImageSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image built on a Docker schema 2 base is one format throughout: OCI in an OCI layout, an OCI
 * archive and a push, Docker schema 2 in a docker archive, the base layer's bytes the same in all.
 */
class MediaTypeConsistencyTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aDockerSchema2BaseGivesOneFormatPerManifest(@TempDir Path tmp) throws Exception {
    Fixtures.assumeTools();
    Path base = Fixtures.baseLayout(tmp.resolve("base"));
    try (TestRegistry registry = TestRegistry.start(tmp.resolve("registry"), TestRegistry.Mode.ANONYMOUS)) {
      String host = registry.host();
      Skopeo.run("copy", "--format", "v2s2", "--dest-tls-verify=false", "oci:" + base + ":1",
          "docker://" + host + "/dbase:1");
      JsonNode baseManifest = JSON.readTree(Skopeo.run("inspect", "--raw", "--tls-verify=false",
          "docker://" + host + "/dbase:1"));
      assertThat(types(baseManifest)).containsExactly(MediaType.DOCKER_MANIFEST, MediaType.DOCKER_CONFIG,
          MediaType.DOCKER_LAYER_GZIP);
      String baseLayer = baseManifest.path("layers").get(0).path("digest").asText();

      Path ctx = Fixtures.appContext(tmp.resolve("app"), host + "/dbase:1");
      Path layout = tmp.resolve("oci");
      Path ociTar = tmp.resolve("image-oci.tar");
      Path dockerTar = tmp.resolve("image-docker.tar");
      BuildResult built = new Gantry().build(BuildRequest.builder(ctx).storeDirectory(tmp.resolve("store"))
          .tag(host + "/app:1").push(true).output(new Output.OciLayout(layout))
          .output(new Output.OciArchive(ociTar)).output(new Output.DockerArchive(dockerTar)).build());

      List<String> oci = List.of(MediaType.OCI_MANIFEST, MediaType.OCI_CONFIG, MediaType.OCI_LAYER_GZIP,
          MediaType.OCI_LAYER_GZIP);
      JsonNode fromLayout = JSON.readTree(blob(layout, built.manifestDigest().toString()));
      assertThat(types(fromLayout)).isEqualTo(oci);
      assertThat(fromLayout.path("layers").get(0).path("digest").asText()).isEqualTo(baseLayer);

      Map<String, byte[]> ociFiles = untar(ociTar);
      assertThat(types(JSON.readTree(ociFiles.get(blobName(built.manifestDigest().toString()))))).isEqualTo(oci);

      JsonNode pushed = JSON.readTree(Skopeo.run("inspect", "--raw", "--tls-verify=false", "docker://" + host + "/app:1"));
      assertThat(types(pushed)).isEqualTo(oci);
      assertThat(pushed).isEqualTo(fromLayout);

      Map<String, byte[]> dockerFiles = untar(dockerTar);
      JsonNode index = JSON.readTree(dockerFiles.get("index.json")).path("manifests").get(0);
      assertThat(index.path("mediaType").asText()).isEqualTo(MediaType.DOCKER_MANIFEST);
      JsonNode dockerManifest = JSON.readTree(dockerFiles.get(blobName(index.path("digest").asText())));
      assertThat(types(dockerManifest)).containsExactly(MediaType.DOCKER_MANIFEST, MediaType.DOCKER_CONFIG,
          MediaType.DOCKER_LAYER_GZIP, MediaType.DOCKER_LAYER_GZIP);
      assertThat(dockerManifest.path("config").path("digest")).isEqualTo(fromLayout.path("config").path("digest"));
      assertThat(dockerManifest.path("layers").get(0).path("digest").asText()).isEqualTo(baseLayer);

      // the tools read each output as the same image
      ImageSnapshot expected = ImageSnapshot.read(layout, "1");
      assertThat(expected.files()).containsKeys("hello.txt", "bin/busybox");
      Skopeo.run("inspect", "docker-archive:" + dockerTar);
      Path copied = tmp.resolve("copied");
      Skopeo.run("copy", "docker-archive:" + dockerTar, "oci:" + copied + ":1");
      assertThat(ImageSnapshot.read(copied, "1").files()).isEqualTo(expected.files());
    }
  }

  /** The manifest's own type, its config's, then each layer's. */
  private static List<String> types(JsonNode manifest) {
    List<String> types = new ArrayList<>();
    types.add(manifest.path("mediaType").asText());
    types.add(manifest.path("config").path("mediaType").asText());
    manifest.path("layers").forEach(l -> types.add(l.path("mediaType").asText()));
    return types;
  }

  private static byte[] blob(Path layout, String digest) throws IOException {
    return Files.readAllBytes(layout.resolve(blobName(digest)));
  }

  private static String blobName(String digest) {
    return "blobs/" + digest.replace(':', '/');
  }

  private static Map<String, byte[]> untar(Path tar) throws IOException {
    Map<String, byte[]> files = new HashMap<>();
    try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream t = new TarArchiveInputStream(in)) {
      for (TarArchiveEntry e; (e = t.getNextEntry()) != null; ) {
        if (e.isFile()) {
          files.put(e.getName(), t.readAllBytes());
        }
      }
    }
    return files;
  }
}
