package dev.gantry.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.api.BuildRequest;
import dev.gantry.api.Gantry;
import dev.gantry.model.PushRequest;
import dev.gantry.model.PushResult;
import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Json;
import dev.gantry.oci.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushing to the registry a base came from never moves the base's layers: every request goes
 * through a proxy that records it, and no base layer is downloaded (no step needs its bytes), nor
 * ever uploaded (it is mounted from the base's repository, or skipped where the target has it), by
 * a build that pushes and by a push of a stored image.
 */
class BaseLayerPushTest {
  @TempDir Path tmp;

  @Test
  void aPushMountsOrSkipsTheBaseLayersAndNeverDownloadsThemAgain() throws Exception {
    Fixtures.assumeTools();
    Path base = Fixtures.baseLayout(tmp.resolve("base"));
    try (TestRegistry registry = Fixtures.seeded(tmp.resolve("registry"), base, "base:1");
        FaultProxy proxy = FaultProxy.start(registry.host())) {
      String host = proxy.host();
      Path ctx = Fixtures.appContext(tmp.resolve("app"), host + "/base:1");
      Path store = tmp.resolve("store");
      Fixtures.Messages first = new Fixtures.Messages();
      new Gantry().build(BuildRequest.builder(ctx).storeDirectory(store).tag(host + "/app:1").push(true)
          .listener(first).build());
      List<String> layers = baseLayers(base);
      assertThat(first.lines).contains("blobs: 2 uploaded, 1 mounted, 0 already present");
      for (String layer : layers) {
        assertThat(requests(proxy, "GET", layer)).as("a COPY over the base needs none of its layer's bytes")
            .isEmpty();
        assertUploadedNever(proxy, layer);
        assertThat(requests(proxy, "POST", layer)).as("a mount names the base's repository")
            .containsExactly("POST /v2/app/blobs/uploads/?mount=" + layer + "&from=base");
      }

      proxy.requests.clear();
      Files.writeString(ctx.resolve("hello.txt"), "changed\n");
      Fixtures.Messages second = new Fixtures.Messages();
      new Gantry().build(BuildRequest.builder(ctx).storeDirectory(store).tag(host + "/app:2")
          .tag(host + "/other:1").push(true).listener(second).build());
      assertThat(second.lines).as("app has the base layer; other mounts it, and the new blobs from app")
          .contains("blobs: 2 uploaded, 3 mounted, 1 already present");
      for (String layer : layers) {
        assertThat(requests(proxy, "GET", layer)).as("a rebuild downloads no base layer").isEmpty();
        assertUploadedNever(proxy, layer);
        assertThat(requests(proxy, "POST", layer))
            .containsExactly("POST /v2/other/blobs/uploads/?mount=" + layer + "&from=base");
      }

      // pushing the stored image without a build: the store's record of the pulled base says where to mount from
      proxy.requests.clear();
      PushResult pushed = new Gantry().push(PushRequest.builder(host + "/app:2").storeDirectory(store)
          .destination(host + "/third:1").build());
      assertThat(pushed.mounted()).isEqualTo(1);
      for (String layer : layers) {
        assertThat(requests(proxy, "GET", layer)).isEmpty();
        assertUploadedNever(proxy, layer);
        assertThat(requests(proxy, "POST", layer))
            .containsExactly("POST /v2/third/blobs/uploads/?mount=" + layer + "&from=base");
      }
    }
  }

  private static List<String> baseLayers(Path layout) throws Exception {
    Path index = layout.resolve("index.json");
    String manifest = Json.readTree(Files.readAllBytes(index)).path("manifests").get(0).path("digest").asText();
    Manifest m = Json.readManifest(Files.readAllBytes(layout.resolve("blobs").resolve(manifest.replace(':', '/'))));
    return m.layers().stream().map(Descriptor::digest).map(Object::toString).toList();
  }

  /** The requests with {@code method} that name {@code digest} (in the path or the query). */
  private static List<String> requests(FaultProxy proxy, String method, String digest) {
    return proxy.requests.stream().filter(r -> r.startsWith(method + " ") && r.contains(digest)).toList();
  }

  /** No upload carried {@code digest}: no PUT names it, and every POST naming it is a mount. */
  private static void assertUploadedNever(FaultProxy proxy, String digest) {
    assertThat(requests(proxy, "PUT", digest)).as("uploads of " + digest).isEmpty();
    assertThat(requests(proxy, "PATCH", digest)).isEmpty();
  }
}
