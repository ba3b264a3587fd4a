package dev.gantry.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import dev.gantry.api.BuildRequest;
import dev.gantry.api.Gantry;
import dev.gantry.ast.DockerfileException;
import dev.gantry.builder.ImagePuller;
import dev.gantry.model.BuildException;
import dev.gantry.oci.Digest;
import dev.gantry.oci.MediaType;
import dev.gantry.oci.Platform;
import dev.gantry.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An in-process registry that lies: a blob whose bytes do not match its digest, an oversized
 * manifest, an index with several platforms. Nothing unverified may reach the store.
 */
class FakeRegistryTest {
  private record Served(String type, byte[] bytes) {}

  @TempDir Path tmp;
  private HttpServer server;
  private final Map<String, Served> paths = new ConcurrentHashMap<>();
  private String host;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      Served s = ex.getRequestURI().getPath().equals("/v2/") ? new Served("application/json", "{}".getBytes())
          : paths.get(ex.getRequestURI().getPath());
      if (s == null) {
        ex.sendResponseHeaders(404, -1);
        ex.close();
        return;
      }
      ex.getResponseHeaders().set("Content-Type", s.type());
      ex.sendResponseHeaders(200, ex.getRequestMethod().equals("HEAD") ? -1 : s.bytes().length);
      try (OutputStream out = ex.getResponseBody()) {
        if (!ex.getRequestMethod().equals("HEAD")) {
          out.write(s.bytes());
        }
      }
    });
    server.start();
    host = "127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static byte[] gzip(byte[] data) throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(b)) {
      z.write(data);
    }
    return b.toByteArray();
  }

  /** Serves image {@code repo:tag} whose one layer is {@code layer}, but sends {@code served} for it. */
  private String image(String repo, String tag, byte[] layer, byte[] served) throws Exception {
    return image(repo, tag, layer, served, Platform.current());
  }

  private String image(String repo, String tag, byte[] layer, byte[] served, Platform p) throws Exception {
    Digest layerDigest = Digest.sha256(layer);
    byte[] config = ("{\"architecture\":\"" + p.architecture() + "\",\"os\":\"" + p.os() + "\",\"config\":{},"
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + Digest.sha256(new byte[1024]) + "\"]}}")
        .getBytes(StandardCharsets.UTF_8);
    byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
        + MediaType.OCI_CONFIG + "\",\"digest\":\"" + Digest.sha256(config) + "\",\"size\":" + config.length
        + "},\"layers\":[{\"mediaType\":\"" + MediaType.OCI_LAYER_GZIP + "\",\"digest\":\"" + layerDigest
        + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
    paths.put("/v2/" + repo + "/manifests/" + tag, new Served(MediaType.OCI_MANIFEST, manifest));
    paths.put("/v2/" + repo + "/manifests/" + Digest.sha256(manifest), new Served(MediaType.OCI_MANIFEST, manifest));
    paths.put("/v2/" + repo + "/blobs/" + Digest.sha256(config), new Served("application/octet-stream", config));
    paths.put("/v2/" + repo + "/blobs/" + layerDigest, new Served("application/octet-stream", served));
    return Digest.sha256(manifest) + " " + manifest.length;
  }

  private Path context(String from) throws Exception {
    Path ctx = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(ctx.resolve("f.txt"), "f\n");
    Files.writeString(ctx.resolve("Dockerfile"), "FROM " + from + "\nCOPY f.txt /f.txt\n");
    return ctx;
  }

  @Test
  void aBlobThatDoesNotMatchItsDigestFailsTheBuildAndNeverEntersTheStore() throws Exception {
    byte[] good = gzip(new byte[1024]);
    byte[] bad = good.clone();
    bad[bad.length / 2] ^= 0x01;
    image("base", "1", good, bad);
    Digest layer = Digest.sha256(good);
    Path store = tmp.resolve("store");

    BuildException e = assertThrows(BuildException.class, () -> new Gantry().build(
        BuildRequest.builder(context(host + "/base:1")).storeDirectory(store).build()));

    assertThat(e.getMessage()).contains("pull blob " + layer + " of " + host + "/base failed")
        .contains("wrong content").contains("after 1 attempt");
    assertThat(Store.open(store).hasBlob(layer)).isFalse();
    try (Stream<Path> files = Files.walk(store)) {
      // only the note of where the layer lives (v1/sources) may name it: no bytes of it
      assertThat(files.filter(Files::isRegularFile).map(f -> "/" + store.relativize(f))
          .filter(f -> !f.startsWith("/v1/sources/")))
          .noneMatch(f -> f.contains(layer.hex()))
          .noneMatch(f -> java.util.List.of(f.split("/")).contains("tmp"));
    }
  }

  @Test
  void aBlobLongerThanItsDescriptorIsRefused() throws Exception {
    byte[] good = gzip(new byte[1024]);
    byte[] longer = Arrays.copyOf(good, good.length + 10);
    image("base", "1", good, longer);
    Store store = Store.open(tmp.resolve("store"));
    ImagePuller puller = new ImagePuller(new Registries(Registries.Options.defaults()), store);
    ImageReference ref = ImageReference.parse(host + "/base:1");
    ImagePuller.Pulled p = puller.resolve(ref, Platform.current(), false);
    RegistryException e = assertThrows(RegistryException.class, () -> puller.fetch(ref, p.manifest().layers().get(0)));
    assertThat(e.getMessage()).contains("larger than its descriptor").contains("nothing was stored");
    assertThat(store.hasBlob(Digest.sha256(good))).isFalse();
  }

  @Test
  void aManifestOverTheSizeCapIsRefused() throws Exception {
    byte[] huge = new byte[Registry.MAX_MANIFEST_BYTES + 1];
    Arrays.fill(huge, (byte) ' ');
    paths.put("/v2/big/manifests/1", new Served(MediaType.OCI_MANIFEST, huge));
    DockerfileException e = assertThrows(DockerfileException.class, () -> new Gantry().build(
        BuildRequest.builder(context(host + "/big:1")).storeDirectory(tmp.resolve("store")).build()));
    assertThat(e.getMessage()).contains("exceeds the limit of " + Registry.MAX_MANIFEST_BYTES)
        .contains(host + "/big");
  }

  @Test
  void anIndexResolvesToTheRequestedPlatformsManifestAndTheDigestPinsIt() throws Exception {
    byte[] layer = gzip(new byte[1024]);
    String[] amd = image("multi", "amd64", layer, layer, Platform.parse("linux/amd64")).split(" ");
    String[] arm = image("multi", "arm64", layer, layer, Platform.parse("linux/arm64")).split(" ");
    assertThat(amd[0]).isNotEqualTo(arm[0]);
    paths.remove("/v2/multi/manifests/amd64");
    String index = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaType.OCI_INDEX + "\",\"manifests\":["
        + "{\"mediaType\":\"" + MediaType.OCI_MANIFEST + "\",\"digest\":\"" + arm[0] + "\",\"size\":" + arm[1]
        + ",\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\"}},"
        + "{\"mediaType\":\"" + MediaType.OCI_MANIFEST + "\",\"digest\":\"" + amd[0] + "\",\"size\":" + amd[1]
        + ",\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}}]}";
    paths.put("/v2/multi/manifests/1", new Served(MediaType.OCI_INDEX, index.getBytes(StandardCharsets.UTF_8)));
    Store store = Store.open(tmp.resolve("store"));
    ImagePuller puller = new ImagePuller(new Registries(Registries.Options.defaults()), store);
    ImageReference ref = ImageReference.parse(host + "/multi:1");
    assertThat(puller.resolve(ref, Platform.parse("linux/amd64"), true).manifestDigest().toString()).isEqualTo(amd[0]);
    assertThat(puller.resolve(ref, Platform.parse("linux/arm64"), true).manifestDigest().toString()).isEqualTo(arm[0]);
    RegistryException none = null;
    try {
      puller.resolve(ref, Platform.parse("linux/s390x"), true);
    } catch (java.io.IOException e) {
      assertThat(e.getMessage()).contains("has no image for linux/s390x");
      none = e instanceof RegistryException r ? r : null;
    }
    assertThat(none).isNull();
  }
}
