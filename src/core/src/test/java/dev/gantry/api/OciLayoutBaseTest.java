package dev.gantry.api;

import static dev.gantry.api.EngineFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.model.Output;
import dev.gantry.oci.Digest;
import dev.gantry.oracle.BusyboxRootfs;
import dev.gantry.oracle.ImageSnapshot;
import dev.gantry.oracle.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image Gantry wrote as an OCI layout is the base of a second build, given as
 * {@code --build-context base=oci-layout://DIR:TAG}: {@code --chown} names resolve in the base's
 * /etc/passwd and /etc/group, {@code COPY --from=base} reads its files, and the result keeps the
 * base's layers, diff IDs, history and config.
 */
class OciLayoutBaseTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path work;

  @Test
  void buildOnALayoutWrittenByAnEarlierBuild() throws Exception {
    Tools.require(BusyboxRootfs.available(), "busybox-static is not installed (the test command installs it)");
    Path baseContext = Files.createDirectories(work.resolve("base-context"));
    BusyboxRootfs.write(baseContext.resolve("rootfs.tar"));
    write(baseContext, "Dockerfile", """
        FROM scratch
        ADD rootfs.tar /
        ENV HOME=/root
        WORKDIR /srv
        CMD ["/bin/sh"]
        """, "rw-r--r--");
    Path baseLayout = work.resolve("base-oci");
    BuildResult base = new Gantry().build(BuildRequest.builder(baseContext).storeDirectory(work.resolve("store-a"))
        .tag("example/base:1").output(new Output.OciLayout(baseLayout)).build());

    Path context = Files.createDirectories(work.resolve("context"));
    write(context, "hello.txt", "hello\n", "rw-r--r--");
    write(context, "Dockerfile", """
        FROM base
        COPY --chown=app hello.txt /home/app/hello.txt
        COPY --chown=app:staff hello.txt /home/app/staff.txt
        COPY --from=base /etc/group /g
        LABEL layer=app
        """, "rw-r--r--");
    Path out = work.resolve("app-oci");
    BuildResult app = new Gantry().build(BuildRequest.builder(context).storeDirectory(work.resolve("store-b"))
        .buildContext("base", "oci-layout://" + baseLayout + ":1").tag("example/app:2")
        .output(new Output.OciLayout(out)).build());
    assertThat(app.cachedSteps()).isZero();

    ImageSnapshot before = ImageSnapshot.read(baseLayout, "1");
    ImageSnapshot after = ImageSnapshot.read(out, "2");
    String hello = sha16("hello\n");
    assertThat(after.files()).containsEntry("home/app/hello.txt", "file 00644 1000:1000 " + hello)
        .containsEntry("home/app/staff.txt", "file 00644 1000:50 " + hello)
        .containsEntry("home/app", before.files().get("home/app"))
        .containsEntry("g", before.files().get("etc/group"));
    assertThat(before.files().get("etc/group")).startsWith("file 00644 0:0 ");
    // Everything of the base is still there, unchanged.
    assertThat(after.files()).containsAllEntriesOf(before.files());
    assertThat(after.config()).containsEntry("Env", before.config().get("Env"))
        .containsEntry("WorkingDir", "\"/srv\"").containsEntry("Cmd", "[\"/bin/sh\"]")
        .containsEntry("Labels", "{\"layer\":\"app\"}");

    JsonNode baseManifest = manifest(baseLayout, base.manifestDigest());
    JsonNode appManifest = manifest(out, app.manifestDigest());
    List<String> baseLayers = digests(baseManifest.path("layers"));
    List<String> appLayers = digests(appManifest.path("layers"));
    assertThat(appLayers).hasSize(baseLayers.size() + 3).startsWith(baseLayers.toArray(String[]::new));

    JsonNode baseConfig = blob(baseLayout, baseManifest.path("config").path("digest").asText());
    JsonNode appConfig = blob(out, appManifest.path("config").path("digest").asText());
    List<String> baseDiffIds = texts(baseConfig.path("rootfs").path("diff_ids"));
    assertThat(texts(appConfig.path("rootfs").path("diff_ids"))).hasSize(baseDiffIds.size() + 3)
        .startsWith(baseDiffIds.toArray(String[]::new));
    List<JsonNode> baseHistory = list(baseConfig.path("history"));
    List<JsonNode> appHistory = list(appConfig.path("history"));
    assertThat(appHistory).hasSize(baseHistory.size() + 4);
    assertThat(appHistory.subList(0, baseHistory.size())).isEqualTo(baseHistory);
    assertThat(appHistory.get(baseHistory.size()).path("created_by").asText())
        .isEqualTo("COPY --chown=app hello.txt /home/app/hello.txt # buildkit");
    assertThat(appHistory.get(appHistory.size() - 1).path("empty_layer").asBoolean()).isTrue();
  }

  @Test
  void aMultiPlatformLayoutGivesTheManifestOfTheTargetVariant() throws Exception {
    // two single-platform images (config only: nothing runs), then one layout whose index lists
    // arm/v6 before arm/v7
    Path multi = Files.createDirectories(work.resolve("multi/blobs/sha256"));
    List<String> entries = new ArrayList<>();
    for (String variant : List.of("v6", "v7")) {
      Path ctx = Files.createDirectories(work.resolve("ctx-" + variant));
      write(ctx, "Dockerfile", "FROM scratch\nENV V=" + variant + "\n", "rw-r--r--");
      Path layout = work.resolve("oci-" + variant);
      BuildResult r = new Gantry().build(BuildRequest.builder(ctx).storeDirectory(work.resolve("store-" + variant))
          .platform("linux/arm/" + variant).tag("example/base:1").output(new Output.OciLayout(layout)).build());
      try (var blobs = Files.list(layout.resolve("blobs/sha256"))) {
        for (Path b : blobs.toList()) {
          Files.copy(b, multi.resolve(b.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
      long size = Files.size(multi.resolve(r.manifestDigest().hex()));
      entries.add("{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + r.manifestDigest()
          + "\",\"size\":" + size + ",\"platform\":{\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\""
          + variant + "\"}}");
    }
    byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
        + String.join(",", entries) + "]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Digest indexDigest = Digest.sha256(index);
    Files.write(multi.resolve(indexDigest.hex()), index);
    Files.writeString(work.resolve("multi/oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Files.writeString(work.resolve("multi/index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
        + "\"application/vnd.oci.image.index.v1+json\",\"digest\":\"" + indexDigest + "\",\"size\":" + index.length
        + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"multi\"}}]}");

    Path context = Files.createDirectories(work.resolve("context-multi"));
    write(context, "Dockerfile", "FROM base\nLABEL on=base\n", "rw-r--r--");
    Path out = work.resolve("multi-out");
    new Gantry().build(BuildRequest.builder(context).storeDirectory(work.resolve("store-m")).platform("linux/arm/v7")
        .buildContext("base", "oci-layout://" + work.resolve("multi") + ":multi").tag("example/app:3")
        .output(new Output.OciLayout(out)).build());
    assertThat(ImageSnapshot.read(out, "3").config().get("Env")).contains("V=v7");
  }

  static JsonNode manifest(Path layout, Digest digest) throws IOException {
    return blob(layout, digest.toString());
  }

  static JsonNode blob(Path layout, String digest) throws IOException {
    String[] p = digest.split(":", 2);
    return JSON.readTree(layout.resolve("blobs").resolve(p[0]).resolve(p[1]).toFile());
  }

  static List<String> digests(JsonNode descriptors) {
    List<String> out = new ArrayList<>();
    descriptors.forEach(d -> out.add(d.path("digest").asText()));
    return out;
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(d -> out.add(d.asText()));
    return out;
  }

  static List<JsonNode> list(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }

  static String sha16(String text) {
    return Digest.sha256(text).hex().substring(0, 16);
  }
}
