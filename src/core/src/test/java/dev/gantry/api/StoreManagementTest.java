package dev.gantry.api;

import static dev.gantry.api.EngineFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.BuildEvent;
import dev.gantry.model.BuildException;
import dev.gantry.model.BuildListener;
import dev.gantry.model.Output;
import dev.gantry.oci.Compression;
import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.oci.Json;
import dev.gantry.oci.Manifest;
import dev.gantry.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Store management through the public API on real builds: images lists tags, rmi then prune frees
 * the blobs, keep-storage keeps the newest, the until filter, a prune while a build runs, and the
 * bound applied after builds.
 */
class StoreManagementTest {
  private static final int MIB = 1 << 20;
  @TempDir Path tmp;
  Path context;
  Path store;
  final Gantry gantry = new Gantry();

  @BeforeEach
  void context() throws IOException {
    context = Files.createDirectories(tmp.resolve("ctx"));
    store = tmp.resolve("store");
    for (String name : List.of("a", "b", "c")) {
      write(context, name + ".bin", EngineFixtures.noise(MIB, name.charAt(0)), "rw-r--r--");
      write(context, "Dockerfile." + name, "FROM scratch\nCOPY " + name + ".bin /\nLABEL which=" + name + "\n",
          "rw-r--r--");
    }
    write(context, "small.txt", "small\n", "rw-r--r--");
  }

  private BuildRequest.Builder request(String which) {
    return BuildRequest.builder(context).dockerfile(context.resolve("Dockerfile." + which)).storeDirectory(store)
        .compression(Compression.NONE);
  }

  private BuildResult build(String which, String... tags) throws BuildException {
    BuildRequest.Builder b = request(which);
    for (String t : tags) {
      b.tag(t);
    }
    return gantry.build(b.build());
  }

  /** The manifest, config and layer digests of an image in the store. */
  private List<Digest> blobsOf(Digest manifest) throws IOException {
    Manifest m = Json.readManifest(Store.open(store).readBlob(manifest));
    List<Digest> out = new ArrayList<>(List.of(manifest, m.config().digest()));
    m.layers().forEach(l -> out.add(l.digest()));
    return out;
  }

  private Digest layerOf(Digest manifest) throws IOException {
    List<Digest> all = blobsOf(manifest);
    return all.get(all.size() - 1);
  }

  @Test
  void imagesListsEveryTagWithItsDigestSizeAndCreationTime() throws Exception {
    BuildResult a = build("a", "app:1", "app:latest");
    BuildResult b = build("b", "registry.example/other:2");

    List<ImageSummary> images = gantry.images(store);

    assertThat(images).extracting(ImageSummary::tag)
        .containsExactly("app:1", "app:latest", "registry.example/other:2");
    assertThat(images).extracting(ImageSummary::manifestDigest)
        .containsExactly(a.manifestDigest(), a.manifestDigest(), b.manifestDigest());
    Store s = Store.open(store);
    long size = 0;
    for (Digest d : blobsOf(a.manifestDigest())) {
      size += s.size(d);
    }
    assertThat(images.get(0).size()).isEqualTo(size).isGreaterThan(MIB);
    assertThat(images.get(0).created()).isEqualTo(Instant.EPOCH);
    assertThat(images).noneMatch(ImageSummary::pulled);
  }

  @Test
  void pulledBaseImagesAreListedByReferenceAndRemovedByAnySpellingOfIt() throws Exception {
    BuildResult base = build("a");
    Store.open(store).tag("pulled docker.io/library/alpine:3.20 linux/amd64", base.manifestDigest());
    build("b", "app");

    assertThat(gantry.images(store)).extracting(ImageSummary::tag, ImageSummary::pulled)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("app", false),
            org.assertj.core.groups.Tuple.tuple("docker.io/library/alpine:3.20", true));
    RemoveResult r = gantry.removeImages(store, List.of("alpine:3.20", "docker.io/library/app:latest"));
    assertThat(r.untagged()).containsExactly("alpine:3.20", "docker.io/library/app:latest");
    assertThat(gantry.images(store)).isEmpty();
  }

  @Test
  void rmiThenPruneFreesTheBlobsAndAllFreesTheLayers() throws Exception {
    BuildResult a = build("a", "app:1");
    BuildResult b = build("b", "app:2");
    List<Digest> aBlobs = blobsOf(a.manifestDigest());

    RemoveResult removed = gantry.removeImages(store, List.of("app:1", "nope:3"));
    assertThat(removed.untagged()).containsExactly("app:1");
    assertThat(removed.missing()).containsExactly("nope:3");
    assertThat(gantry.images(store)).extracting(ImageSummary::tag).containsExactly("app:2");

    // Unreferenced data goes: the manifest and config; the layer stays for the cache record needing it.
    PruneResult unreferenced = gantry.prune(PruneRequest.builder().storeDirectory(store).build());
    Store s = Store.open(store);
    assertThat(unreferenced.blobs()).isEqualTo(2);
    assertThat(unreferenced.records()).isZero();
    assertThat(s.hasBlob(aBlobs.get(0))).isFalse();
    assertThat(s.hasBlob(aBlobs.get(1))).isFalse();
    assertThat(s.hasBlob(aBlobs.get(2))).isTrue();

    PruneResult all = gantry.prune(PruneRequest.builder().storeDirectory(store).all(true).build());
    assertThat(all.records()).isPositive();
    assertThat(all.bytesFreed()).isGreaterThanOrEqualTo(MIB);
    assertThat(s.hasBlob(aBlobs.get(2))).isFalse();
    for (Digest d : blobsOf(b.manifestDigest())) {
      assertThat(s.hasBlob(d)).as("tagged blob %s", d).isTrue();
    }
    assertThat(s.blobs()).hasSize(3);
    assertThat(s.cacheKeys()).isEmpty();
    assertThat(build("b").manifestDigest()).isEqualTo(b.manifestDigest());
  }

  @Test
  void keepStorageKeepsTheMostRecentlyUsed() throws Exception {
    Digest a = layerOf(build("a").manifestDigest());
    Digest b = layerOf(build("b").manifestDigest());
    Digest c = layerOf(build("c").manifestDigest());

    PruneResult r = gantry.prune(PruneRequest.builder().storeDirectory(store).keepStorage(MIB + MIB / 2).build());

    Store s = Store.open(store);
    assertThat(r.bytesAfter()).isLessThanOrEqualTo(MIB + MIB / 2);
    assertThat(r.bytesFreed()).isGreaterThanOrEqualTo(2L * MIB);
    assertThat(s.hasBlob(c)).isTrue();
    assertThat(s.hasBlob(a)).isFalse();
    assertThat(s.hasBlob(b)).isFalse();
  }

  @Test
  void untilFilterRemovesOnlyWhatWasLastUsedLongerAgo() throws Exception {
    Digest a = layerOf(build("a").manifestDigest());
    backdate(Duration.ofHours(48));
    BuildResult b = build("b");

    PruneResult r = gantry.prune(PruneRequest.builder().storeDirectory(store).all(true)
        .until(StoreLimits.parseDuration("24h")).build());

    Store s = Store.open(store);
    assertThat(r.records()).isPositive();
    assertThat(s.hasBlob(a)).isFalse();
    for (Digest d : blobsOf(b.manifestDigest())) {
      assertThat(s.hasBlob(d)).isTrue();
    }
    assertThat(s.cacheKeys()).isNotEmpty();
  }

  @Test
  void pruneWhileABuildRunsLeavesThatBuildCompleteAndRemovesOnlyOlderData() throws Exception {
    write(context, "Dockerfile.x", "FROM scratch\nCOPY a.bin /\nCOPY small.txt /x.txt\n", "rw-r--r--");
    write(context, "Dockerfile.y", "FROM scratch\nCOPY a.bin /\nCOPY small.txt /y.txt\nLABEL y=1\n", "rw-r--r--");
    BuildResult x = build("x", "x:1");
    Digest onlyX = blobsOf(x.manifestDigest()).get(3);
    backdate(Duration.ofHours(1));
    gantry.removeImages(store, List.of("x:1"));

    CountDownLatch midway = new CountDownLatch(1);
    CountDownLatch go = new CountDownLatch(1);
    BuildListener pauseAtStep2 = e -> {
      if ((e instanceof BuildEvent.Started || e instanceof BuildEvent.Cached) && e.step().number() == 2) {
        midway.countDown();
        try {
          go.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
        }
      }
    };
    Path out = tmp.resolve("out");
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<BuildResult> y = pool.submit(() -> gantry.build(request("y").tag("y:1").listener(pauseAtStep2)
          .output(new Output.OciLayout(out)).build()));
      assertThat(midway.await(60, TimeUnit.SECONDS)).isTrue();

      PruneResult r = gantry.prune(PruneRequest.builder().storeDirectory(store).all(true).build());
      assertThat(r.buildsRunning()).isTrue();
      assertThat(Store.open(store).hasBlob(onlyX)).as("X's own layer, last used before Y started").isFalse();
      go.countDown();

      BuildResult result = y.get(120, TimeUnit.SECONDS);
      Store s = Store.open(store);
      assertThat(s.resolve("y:1")).contains(result.manifestDigest());
      for (Digest d : blobsOf(result.manifestDigest())) {
        assertThat(s.hasBlob(d)).as("blob %s of the running build", d).isTrue();
      }
      assertThat(s.verify().corrupt()).isEmpty();
      assertThat(out.resolve("index.json")).exists();
    } finally {
      go.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void theStoreBoundIsAppliedAfterEachBuildKeepingTaggedImages() throws Exception {
    Digest a = layerOf(build("a").manifestDigest());
    BuildResult b = gantry.build(request("b").tag("b:1").storeMax(MIB / 2).build());

    Store s = Store.open(store);
    assertThat(s.hasBlob(a)).isFalse();
    for (Digest d : blobsOf(b.manifestDigest())) {
      assertThat(s.hasBlob(d)).isTrue();
    }
    BuildResult c = gantry.build(request("c").storeMax(StoreLimits.OFF).build());
    assertThat(s.hasBlob(layerOf(c.manifestDigest()))).isTrue();
  }

  @Test
  void sizesAndAgesReadAsDockerWritesThem() {
    assertThat(StoreLimits.parseSize("500MB")).isEqualTo(500L * MIB);
    assertThat(StoreLimits.parseSize("2GiB")).isEqualTo(2L << 30);
    assertThat(StoreLimits.parseSize("1.5g")).isEqualTo(3L << 29);
    assertThat(StoreLimits.parseSize("1024")).isEqualTo(1024);
    assertThat(StoreLimits.parseSize("1Mi")).isEqualTo(MIB); // docker's units.RAMInBytes takes it too
    assertThat(StoreLimits.parseBound("off")).isEqualTo(StoreLimits.OFF);
    assertThat(StoreLimits.parseDuration("24h")).isEqualTo(Duration.ofHours(24));
    assertThat(StoreLimits.parseDuration("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(StoreLimits.parseDuration("7d")).isEqualTo(Duration.ofDays(7));
    for (String bad : List.of("", "12x", "GiB", "1 2", "99999999999p")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> StoreLimits.parseSize(bad))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a size");
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> StoreLimits.parseDuration("24"))
        .hasMessageContaining("not a duration: \"24\"");
    assertThat(StoreLimits.defaultBound(tmp)).isBetween(1L << 30, 20L << 30);
  }

  /** Moves the last use of every blob and cache record of the store back by {@code age}. */
  private void backdate(Duration age) throws IOException {
    Instant when = Instant.now().minus(age);
    for (String dir : List.of("blobs", "records")) {
      try (Stream<Path> files = Files.list(store.resolve("v1").resolve(dir).resolve("sha256"))) {
        for (Path p : files.toList()) {
          EngineFixtures.touch(p, when);
        }
      }
    }
  }
}
