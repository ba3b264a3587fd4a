package dev.gantry.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.api.BuildRequest;
import dev.gantry.api.BuildResult;
import dev.gantry.api.Gantry;
import dev.gantry.builder.ImagePuller;
import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.oci.Json;
import dev.gantry.oci.Manifest;
import dev.gantry.oci.Platform;
import dev.gantry.registry.FaultProxy.Fault;
import dev.gantry.registry.FaultProxy.Rule;
import dev.gantry.store.LayerIntake;
import dev.gantry.store.Store;
import dev.gantry.store.StoreImages;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes and pulls through a fault-injecting proxy in front of a real token-auth registry:
 * transient faults (resets, 5xx, 429 with Retry-After, stalls past the timeout, an expired token)
 * are retried and the image arrives intact; permanent ones (403, 404, a corrupt blob) fail at once
 * with the registry, repository, operation and status named.
 */
class FaultInjectionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final RetryPolicy FAST = new RetryPolicy(6, Duration.ofMillis(50), Duration.ofMillis(500),
      Duration.ofSeconds(60), Duration.ofSeconds(2));

  @TempDir Path tmp;

  private Registries registries(String host) {
    return new Registries(new Registries.Options(Credentials.of(
        Map.of(host, new Credentials.Secret(TestRegistry.USER, TestRegistry.PASSWORD)), null), Set.of(), FAST));
  }

  /** Builds an image (busybox plus a file) into {@code store}; returns its manifest digest. */
  private Digest build(Path store) throws Exception {
    Path ctx = Files.createDirectories(tmp.resolve("ctx"));
    dev.gantry.oracle.BusyboxRootfs.write(ctx.resolve("rootfs.tar"));
    Files.writeString(ctx.resolve("hello.txt"), "hello\n");
    Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nADD rootfs.tar /\nCOPY hello.txt /\n");
    BuildResult r = new Gantry().build(BuildRequest.builder(ctx).storeDirectory(store).build());
    return r.manifestDigest();
  }

  private ImagePusher.Report push(Registries registries, Store store, Digest manifest, List<ImageReference> to)
      throws Exception {
    return new ImagePusher(registries, 4).push(StoreImages.read(store, manifest), to);
  }

  @Test
  void transientFaultsDuringAPushAreRetriedAndTheImageArrivesIntact() throws Exception {
    Fixtures.assumeTools();
    Store store = Store.open(tmp.resolve("store"));
    Digest manifest = build(store.root());
    try (TestRegistry registry = TestRegistry.start(tmp.resolve("registry"), TestRegistry.Mode.TOKEN);
        FaultProxy proxy = FaultProxy.start(registry.host())) {
      proxy.add(
          Rule.status("HEAD", "/blobs/", 500, 0),
          Rule.of("HEAD", "/blobs/", Fault.STALL).withSeconds(4),
          Rule.status("POST", "/blobs/uploads/", 503, 0),
          Rule.of("PUT", "/blobs/uploads/", Fault.RESET),
          Rule.of("PUT", "/blobs/uploads/", Fault.EXPIRE_TOKEN),
          Rule.status("PUT", "/manifests/", 429, 1));
      ImagePusher.Report report = push(registries(proxy.host()), store, manifest,
          List.of(ImageReference.parse(proxy.host() + "/app:1"), ImageReference.parse(proxy.host() + "/app:2")));

      assertThat(proxy.pending()).as("faults that never fired").isEmpty();
      assertThat(report.digest()).isEqualTo(manifest);
      assertThat(report.uploaded()).isEqualTo(3);
      assertPulledBackIntact(registry, "app:1", store, manifest);
      assertPulledBackIntact(registry, "app:2", store, manifest);
    }
  }

  @Test
  void transientFaultsDuringAPullAreRetriedAndEveryBlobIsVerified() throws Exception {
    Fixtures.assumeTools();
    Path base = Fixtures.baseLayout(tmp.resolve("base"));
    try (TestRegistry registry = TestRegistry.start(tmp.resolve("registry"), TestRegistry.Mode.TOKEN);
        FaultProxy proxy = FaultProxy.start(registry.host())) {
      Fixtures.seed(registry, base, "base:1");
      proxy.add(
          Rule.status("GET", "/manifests/", 503, 0),
          Rule.of("GET", "/manifests/", Fault.STALL).withSeconds(4),
          Rule.of("GET", "/blobs/", Fault.RESET),
          Rule.of("GET", "/blobs/", Fault.STALL_BODY).withSeconds(5),
          Rule.status("GET", "/blobs/", 429, 1),
          Rule.of("GET", "/blobs/", Fault.EXPIRE_TOKEN));
      Store store = Store.open(tmp.resolve("pull-store"));
      ImagePuller puller = new ImagePuller(registries(proxy.host()), store);
      ImageReference ref = ImageReference.parse(proxy.host() + "/base:1");
      ImagePuller.Pulled pulled = puller.resolve(ref, Platform.current(), true);
      List<Digest> diffIds = pulled.config().rootfs().diffIds();
      for (int i = 0; i < diffIds.size(); i++) {
        // indexed as it streams in: an interrupted body fails the intake with the transport's error, which is retried
        puller.fetch(ref, pulled.manifest().layers().get(i), new LayerIntake(store, diffIds.get(i)));
        assertThat(store.layerIndex(diffIds.get(i))).isPresent();
      }
      assertThat(proxy.pending()).as("faults that never fired").isEmpty();
      assertThat(pulled.manifestDigest().toString()).isEqualTo(JSON.readTree(Files.readString(
          base.resolve("index.json"))).path("manifests").get(0).path("digest").asText());
      for (Descriptor d : pulled.manifest().layers()) {
        try (InputStream in = store.openBlob(d.digest())) {
          assertThat(Digest.sha256(in)).isEqualTo(d.digest());
        }
        assertThat(store.size(d.digest())).isEqualTo(d.size());
      }
    }
  }

  @Test
  void permanentErrorsFailAtOnceWithAClearMessage() throws Exception {
    Fixtures.assumeTools();
    Store store = Store.open(tmp.resolve("store"));
    Digest manifest = build(store.root());
    Manifest m = Json.readManifest(store.readBlob(manifest));
    try (TestRegistry registry = TestRegistry.start(tmp.resolve("registry"), TestRegistry.Mode.TOKEN);
        FaultProxy proxy = FaultProxy.start(registry.host())) {
      Registries registries = registries(proxy.host());
      proxy.add(Rule.status("POST", "/blobs/uploads/", 403, 0));
      RegistryException denied = assertThrows(RegistryException.class, () -> new ImagePusher(registries, 1)
          .push(StoreImages.read(store, manifest), List.of(ImageReference.parse(proxy.host() + "/app:1"))));
      assertThat(denied.status()).isEqualTo(403);
      assertThat(denied.attempts()).isEqualTo(1);
      assertThat(denied.getMessage()).startsWith("push blob " + m.layers().get(0).digest() + " to " + proxy.host()
          + "/app failed: HTTP 403").doesNotContain(TestRegistry.PASSWORD);
      assertThat(denied.hint()).contains("not allowed");

      RegistryException missing = assertThrows(RegistryException.class, () -> new ImagePuller(registries, store)
          .resolve(ImageReference.parse(proxy.host() + "/nothing:here"), Platform.current(), true));
      assertThat(missing.status()).isEqualTo(404);
      assertThat(missing.attempts()).isEqualTo(1);
      assertThat(missing.getMessage()).contains("get manifest here of " + proxy.host() + "/nothing");

      push(registries, store, manifest, List.of(ImageReference.parse(proxy.host() + "/app:1")));
      Store fresh = Store.open(tmp.resolve("fresh"));
      Descriptor layer = m.layers().get(0);
      proxy.add(Rule.of("GET", "/blobs/" + layer.digest(), Fault.CORRUPT));
      RegistryException corrupt = assertThrows(RegistryException.class, () -> new ImagePuller(registries, fresh)
          .fetch(ImageReference.parse(proxy.host() + "/app:1"), layer));
      assertThat(corrupt.attempts()).isEqualTo(1);
      assertThat(corrupt.getMessage()).contains("pull blob " + layer.digest()).contains("wrong content")
          .contains("nothing was stored");
      assertThat(fresh.hasBlob(layer.digest())).isFalse();
      assertThat(filesUnder(fresh.root())).noneMatch(p -> p.contains(layer.digest().hex()))
          .noneMatch(p -> List.of(p.split("/")).contains("tmp"));
    }
  }

  private static List<String> filesUnder(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).map(p -> "/" + p).toList();
    }
  }

  /** skopeo copies {@code repoTag} straight from the registry; every blob matches the store's, digest by digest. */
  private void assertPulledBackIntact(TestRegistry registry, String repoTag, Store store, Digest manifest)
      throws Exception {
    Path out = tmp.resolve("pulled-" + repoTag.replace(':', '-'));
    Skopeo.run(Skopeo.with("copy", registry.skopeoCreds("--src-creds"), "--src-tls-verify=false",
        "docker://" + registry.host() + "/" + repoTag, "oci:" + out + ":x"));
    JsonNode index = JSON.readTree(Files.readString(out.resolve("index.json")));
    assertThat(index.path("manifests").get(0).path("digest").asText()).isEqualTo(manifest.toString());
    Manifest m = Json.readManifest(store.readBlob(manifest));
    for (Descriptor d : Stream.concat(Stream.of(m.config()), m.layers().stream()).toList()) {
      Path blob = out.resolve("blobs/sha256").resolve(d.digest().hex());
      try (InputStream in = Files.newInputStream(blob)) {
        assertThat(Digest.sha256(in)).isEqualTo(d.digest());
      }
      assertThat(Files.mismatch(blob, store.blobPath(d.digest()))).isEqualTo(-1L);
    }
  }
}
