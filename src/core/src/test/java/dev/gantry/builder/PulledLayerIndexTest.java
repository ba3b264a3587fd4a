package dev.gantry.builder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.BuildEvent;
import dev.gantry.api.BuildRequest;
import dev.gantry.api.BuildResult;
import dev.gantry.api.Gantry;
import dev.gantry.model.Output;
import dev.gantry.model.StepResult;
import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.oci.Json;
import dev.gantry.oci.Manifest;
import dev.gantry.oracle.ImageSnapshot;
import dev.gantry.oracle.Tools;
import dev.gantry.registry.TestRegistry;
import dev.gantry.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A first build FROM a registry image fetches a base layer only when a step needs it (here a COPY
 * --chown, for the base's /etc/passwd), and indexes it while it streams into the store: the layer
 * is not in the store when the COPY starts, the build succeeds, the index is stored, and the image
 * equals one built normally. A second build on the store, whose base blob is overwritten with
 * garbage first, needs the layer's index and its /etc/passwd again and reads neither from the blob.
 * The filesystem of a base the JVM keeps for later builds still fetches the layer into each
 * build's own store when one of its files is copied.
 */
class PulledLayerIndexTest {
  @TempDir Path work;
  private TestRegistry registry;
  /** The base image in {@link #registry}, pushed before each test, and its manifest. */
  private String base;
  private Manifest baseManifest;

  @BeforeEach
  void pushBaseImage() throws Exception {
    Tools.require(TestRegistry.available(), "docker-registry is not installed (apt-get install docker-registry)");
    registry = TestRegistry.start(work.resolve("registry"), TestRegistry.Mode.ANONYMOUS);
    base = registry.host() + "/base:1";
    baseManifest = pushBase(base);
    LayerIndexes.forgetAll();
  }

  @AfterEach
  void stop() throws Exception {
    LayerIndexes.forgetAll();
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void aPulledLayerIsIndexedAsItStreamsAndNeverReadAgain() throws Exception {
    Path ctx = Files.createDirectories(work.resolve("app"));
    Files.writeString(ctx.resolve("a.txt"), "a\n");
    Files.writeString(ctx.resolve("Dockerfile"), "FROM " + base + "\nCOPY --chown=app a.txt /app/\n");

    Path store = work.resolve("store");
    AtomicInteger damaged = new AtomicInteger();
    BuildResult built = new Gantry().build(BuildRequest.builder(ctx).storeDirectory(store).listener(e -> {
          if (e instanceof BuildEvent.Started) {
            damaged.addAndGet(damage(store, baseManifest.layers()));
          }
        }).build());

    assertThat(damaged).as("no base layer is fetched before a step needs it").hasValue(0);
    Digest diffId = Json.readConfig(Store.open(store).readBlob(baseManifest.config().digest()))
        .rootfs().diffIds().get(0);
    assertThat(store.resolve("v1/indexes/sha256/" + diffId.hex() + ".idx")).isRegularFile();
    assertThat(Store.open(store).layerIndex(diffId)).hasValueSatisfying(i ->
        assertThat(i.entries()).extracting(e -> e.path()).contains("etc/passwd", "app", "srv/data.bin"));
    LayerIndexes.forgetAll();
    BuildResult reference = new Gantry().build(BuildRequest.builder(ctx).storeDirectory(work.resolve("fresh"))
        .output(new Output.OciLayout(work.resolve("out"))).build());
    assertThat(built.manifestDigest()).isEqualTo(reference.manifestDigest());
    assertThat(ImageSnapshot.read(work.resolve("out"), null).files().get("app/a.txt"))
        .as("the owner comes from the pulled layer's /etc/passwd").startsWith("file 00644 1000:1000 ");

    LayerIndexes.forgetAll();
    assertThat(damage(store, baseManifest.layers())).as("the layer was fetched into the store").isEqualTo(1);
    Files.writeString(ctx.resolve("a.txt"), "changed\n");
    BuildResult again = new Gantry().build(BuildRequest.builder(ctx).storeDirectory(store).build());
    assertThat(again.steps()).extracting(StepResult::cached).containsExactly(false);

    // a stage with no step that reads its base (only config steps) neither fetches nor indexes it
    Path envOnly = Files.createDirectories(work.resolve("env"));
    Files.writeString(envOnly.resolve("Dockerfile"), "FROM " + base + "\nENV A=1\n");
    Path other = work.resolve("env-store");
    new Gantry().build(BuildRequest.builder(envOnly).storeDirectory(other).build());
    assertThat(Store.open(other).hasBlob(baseManifest.layers().get(0).digest())).isFalse();
    assertThat(Store.open(other).hasLayerIndex(diffId)).isFalse();
  }

  @Test
  void theKeptFilesystemOfABaseFetchesItsLayerIntoEachStore() throws Exception {
    Path ctx = Files.createDirectories(work.resolve("app"));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nCOPY --from=" + base + " /srv/data.bin /copy.bin\n");
    Digest layer = baseManifest.layers().get(0).digest();
    String data = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(Files.readAllBytes(work.resolve("base/rootfs/srv/data.bin")))).substring(0, 16);
    for (String name : List.of("first", "second")) {
      // the second build finds the base's filesystem kept by the JVM; its store has no blob yet
      Path store = work.resolve(name);
      Path out = work.resolve(name + "-out");
      new Gantry().build(BuildRequest.builder(ctx).storeDirectory(store).output(new Output.OciLayout(out)).build());
      assertThat(Store.open(store).hasBlob(layer)).as("the layer was fetched into the %s store", name).isTrue();
      assertThat(ImageSnapshot.read(out, null).files().get("copy.bin")).as(name).endsWith(" " + data);
    }
  }

  /** Builds a one-layer base (users, a directory, a binary file) and pushes it as {@code ref}. */
  private Manifest pushBase(String ref) throws Exception {
    Path ctx = Files.createDirectories(work.resolve("base"));
    Path rootfs = Files.createDirectories(ctx.resolve("rootfs/etc"));
    Files.writeString(rootfs.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/app:/bin/sh\n");
    Files.createDirectories(ctx.resolve("rootfs/app"));
    Files.createDirectories(ctx.resolve("rootfs/srv"));
    byte[] data = new byte[3 << 20];
    new java.util.Random(13).nextBytes(data);
    Files.write(ctx.resolve("rootfs/srv/data.bin"), data);
    Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nCOPY rootfs/ /\n");
    Path store = work.resolve("base-store");
    BuildResult r = new Gantry().build(BuildRequest.builder(ctx).storeDirectory(store).tag(ref).push(true).build());
    return Json.readManifest(Store.open(store).readBlob(r.manifestDigest()));
  }

  /** Overwrites the blobs of {@code layers} in {@code store} with garbage of the same size; returns how many. */
  private static int damage(Path store, List<Descriptor> layers) {
    int n = 0;
    for (Descriptor l : layers) {
      Path blob = store.resolve("v1/blobs/sha256/" + l.digest().hex());
      try {
        if (Files.isRegularFile(blob)) {
          byte[] garbage = new byte[(int) Files.size(blob)];
          Arrays.fill(garbage, (byte) 'x');
          blob.toFile().setWritable(true);
          Files.write(blob, garbage);
          n++;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return n;
  }
}
