package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Garbage collection and prune policies on a store with a controlled clock: eviction by last use,
 * what tags and records keep, what a live lease protects, stale leases, unpacked layers whose blob
 * left the store, and directories evicted by last use.
 */
class StoreGcTest {
  @TempDir Path root;
  private MutableClock clock;
  private Store store;

  @BeforeEach
  void open() throws IOException {
    clock = new MutableClock(Instant.parse("2024-01-01T00:00:00Z"));
    store = Store.open(root, clock);
  }

  /** Stores 1000 bytes derived from {@code seed}, one minute after the previous write. */
  private Digest blob(int seed) throws IOException {
    return blob(seed, 1000);
  }

  private Digest json(String text) throws IOException {
    clock.advance(Duration.ofMinutes(1));
    return store.putBlob(text.getBytes(StandardCharsets.UTF_8)).digest();
  }

  private static CachedLayer layer(Digest d) {
    return new CachedLayer(d, d, 1000, "application/vnd.oci.image.layer.v1.tar");
  }

  @Test
  void evictsLeastRecentlyWrittenFirstUntilTheBoundHolds() throws IOException {
    List<Digest> blobs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      blobs.add(blob(i));
    }

    GcReport report = store.gc(2500);

    assertThat(report.bytesBefore()).isEqualTo(5000);
    assertThat(report.bytesAfter()).isEqualTo(2000).isLessThanOrEqualTo(2500);
    assertThat(report.blobsRemoved()).containsExactly(blobs.get(0), blobs.get(1), blobs.get(2));
    assertThat(store.blobs()).containsExactlyInAnyOrder(blobs.get(3), blobs.get(4));
    assertThat(store.usage().bytes()).isEqualTo(2000);
    assertThat(store.gc(2500).blobsRemoved()).isEmpty();
  }

  @Test
  void readingABlobMakesItRecent() throws IOException {
    Digest a = blob(1);
    Digest b = blob(2);
    Digest c = blob(3);
    clock.advance(Duration.ofMinutes(1));
    try (InputStream in = store.openBlob(a)) {
      in.readAllBytes();
    }

    assertThat(store.gc(2000).blobsRemoved()).containsExactly(b);
    assertThat(store.blobs()).containsExactlyInAnyOrder(a, c);
  }

  @Test
  void keepsEverythingReachableFromATag() throws IOException {
    Digest layer1 = blob(1);
    Digest layer2 = blob(2);
    Digest config = json("{\"architecture\":\"amd64\",\"rootfs\":{\"diff_ids\":[]}}");
    Digest manifest = json("{\"schemaVersion\":2,\"config\":{\"digest\":\"" + config
        + "\",\"size\":10},\"layers\":[{\"digest\":\"" + layer1 + "\"},{\"digest\":\"" + layer2
        + "\"}]}");
    Digest index = json("{\"schemaVersion\":2,\"manifests\":[{\"digest\":\"" + manifest + "\"}]}");
    store.tag("app:latest", index);
    Digest newer1 = blob(3);
    Digest newer2 = blob(4);

    GcReport report = store.gc(0);

    assertThat(report.blobsRemoved()).containsExactlyInAnyOrder(newer1, newer2);
    assertThat(store.blobs()).containsExactlyInAnyOrder(layer1, layer2, config, manifest, index);
    assertThat(report.bytesAfter()).isPositive();

    store.untag("app:latest");
    store.gc(0);
    assertThat(store.blobs()).isEmpty();
  }

  @Test
  void notesOfWhereAbsentBlobsLiveGoWhenNothingNamesThem() throws IOException {
    Digest loose = blob(2); // the least recently used: what the first collection below evicts
    Digest absentBaseLayer = Digest.sha256("a base layer never fetched");
    Digest config = json("{\"architecture\":\"amd64\",\"rootfs\":{\"diff_ids\":[]}}");
    Digest manifest = json("{\"schemaVersion\":2,\"config\":{\"digest\":\"" + config
        + "\",\"size\":10},\"layers\":[{\"digest\":\"" + absentBaseLayer + "\"}]}");
    store.tag("app:1", manifest);
    store.noteSource(absentBaseLayer, "registry.test/base");
    Digest recorded = blob(1);
    store.noteSource(recorded, "registry.test/cache");
    Digest key = Digest.sha256("COPY app.jar /app/");
    store.record(key, CacheRecord.ofLayer("COPY app.jar /app/", layer(recorded)));
    Digest forgotten = Digest.sha256("a layer of an image long gone");
    store.noteSource(forgotten, "registry.test/old");

    assertThat(store.gc(store.usage().bytes() - 1).blobsRemoved()).containsExactly(loose);

    assertThat(store.source(absentBaseLayer)).contains("registry.test/base");
    assertThat(store.source(recorded)).contains("registry.test/cache");
    assertThat(store.source(forgotten)).isEmpty();

    store.untag("app:1");
    store.gc(0);
    assertThat(store.source(absentBaseLayer)).isEmpty();
    assertThat(store.source(recorded)).isEmpty();
  }

  @Test
  void keepsBlobsOfRecordsNewerThanWhatIsEvicted() throws IOException {
    Digest recordedLayer = blob(1);
    Digest loose = blob(2);
    clock.advance(Duration.ofMinutes(1));
    Digest key = Digest.sha256("RUN make");
    store.record(key, CacheRecord.ofLayer("RUN make", layer(recordedLayer)));
    long recordBytes = store.usage().recordBytes();

    GcReport report = store.gc(1000 + recordBytes);

    assertThat(report.blobsRemoved()).containsExactly(loose);
    assertThat(report.recordsRemoved()).isEmpty();
    assertThat(store.lookup(key)).isPresent();
  }

  @Test
  void evictingARecordFreesItsOlderBlobs() throws IOException {
    Digest oldLayer = blob(1);
    clock.advance(Duration.ofMinutes(1));
    Digest oldKey = Digest.sha256("old step");
    store.record(oldKey, CacheRecord.ofLayer("old step", layer(oldLayer)));
    Digest newLayer = blob(2);
    clock.advance(Duration.ofMinutes(1));
    Digest newKey = Digest.sha256("new step");
    store.record(newKey, CacheRecord.ofLayer("new step", layer(newLayer)));
    long oneRecord = store.usage().recordBytes() / 2 + 10;

    GcReport report = store.gc(1000 + oneRecord);

    assertThat(report.recordsRemoved()).containsExactly(oldKey);
    assertThat(report.blobsRemoved()).containsExactly(oldLayer);
    assertThat(store.lookup(oldKey)).isEmpty();
    assertThat(store.lookup(newKey)).isPresent();
    assertThat(store.hasBlob(newLayer)).isTrue();

    store.gc(0);
    assertThat(store.usage()).isEqualTo(new StoreUsage(0, 0, 0, 0, 0));
  }

  @Test
  void aLookupRefreshesTheRecordAndItsBlobs() throws IOException {
    Digest recordedLayer = blob(1);
    Digest key = Digest.sha256("COPY . /app");
    store.record(key, CacheRecord.ofLayer("COPY . /app", layer(recordedLayer)));
    Digest newer = blob(2);
    clock.advance(Duration.ofMinutes(1));
    assertThat(store.lookup(key)).isPresent();

    GcReport report = store.gc(1000 + store.usage().recordBytes());

    assertThat(report.blobsRemoved()).containsExactly(newer);
    assertThat(store.lookup(key)).isPresent();
  }

  @Test
  void keepRecentProtectsWhatWasJustUsed() throws IOException {
    Digest old = blob(1);
    clock.advance(Duration.ofHours(2));
    Digest recent = blob(2);

    GcReport report = store.gc(0, Duration.ofHours(1));

    assertThat(report.blobsRemoved()).containsExactly(old);
    assertThat(store.blobs()).containsExactly(recent);
    assertThat(report.bytesAfter()).isEqualTo(1000);
  }

  /** Stores {@code size} bytes derived from {@code seed}, one minute after the previous write. */
  private Digest blob(int seed, int size) throws IOException {
    clock.advance(Duration.ofMinutes(1));
    byte[] b = new byte[size];
    Arrays.fill(b, (byte) seed);
    return store.putBlob(b).digest();
  }

  /** A directory below {@code v1/KIND} holding {@code size} bytes, marked as used now. */
  private Path directory(String kind, int seed, int size, Digest layer) throws IOException {
    clock.advance(Duration.ofMinutes(1));
    Path dir = Files.createDirectories(store.root().resolve("v1").resolve(kind)
        .resolve(Digest.sha256("dir" + seed).hex()));
    Files.write(dir.resolve("file"), new byte[size]);
    store.markUsed(dir, layer);
    return dir;
  }

  @Test
  void aLiveLeaseKeepsWhatWasUsedSinceItStartedAndEveryDirectory() throws IOException {
    Digest old = blob(1, 1000);
    Path oldDir = directory("rootfs", 1, 500, null);
    clock.advance(Duration.ofHours(1));
    try (Lease lease = store.lease()) {
      Digest recent = blob(2, 1000);

      GcReport running = store.prune(PrunePolicy.allUntagged());

      assertThat(running.buildsRunning()).isTrue();
      assertThat(running.blobsRemoved()).containsExactly(old);
      assertThat(running.directoriesRemoved()).isEmpty();
      assertThat(store.hasBlob(recent)).isTrue();
      assertThat(oldDir).isDirectory();
    }
    GcReport idle = store.prune(PrunePolicy.allUntagged());
    assertThat(idle.buildsRunning()).isFalse();
    assertThat(idle.blobsRemoved()).hasSize(1);
    assertThat(idle.directoriesRemoved()).containsExactly("rootfs/" + oldDir.getFileName());
    assertThat(oldDir).doesNotExist();
    assertThat(store.root().resolve("v1/used/rootfs")).isEmptyDirectory();
  }

  @Test
  void aLeaseWhoseHolderDiedIsRemovedAndProtectsNothing() throws IOException {
    Path stale = store.root().resolve("v1/leases/dead");
    Files.writeString(stale, "0", StandardCharsets.US_ASCII);
    Digest old = blob(1, 1000);
    clock.advance(Duration.ofHours(1));

    GcReport r = store.prune(PrunePolicy.unreferenced());

    assertThat(r.buildsRunning()).isFalse();
    assertThat(r.blobsRemoved()).containsExactly(old);
    assertThat(stale).doesNotExist();
  }

  @Test
  void plainPruneRemovesUnpackedLayersWhoseBlobLeftAndKeepsCacheMounts() throws IOException {
    Digest kept = blob(1, 1000);
    Digest dropped = blob(2, 1000);
    store.record(Digest.sha256("key"), CacheRecord.ofLayer("{}", layer(kept)));
    Path keptDir = directory("rootfs", 1, 100, kept);
    Path droppedDir = directory("rootfs", 2, 100, dropped);
    Path cacheMount = directory("cache-mounts", 3, 100, null);
    clock.advance(Duration.ofMinutes(5));

    GcReport r = store.prune(PrunePolicy.unreferenced());

    assertThat(r.blobsRemoved()).containsExactly(dropped);
    assertThat(r.recordsRemoved()).isEmpty();
    assertThat(r.directoriesRemoved()).containsExactly("rootfs/" + droppedDir.getFileName());
    assertThat(keptDir).isDirectory();
    assertThat(cacheMount).isDirectory();
    assertThat(r.bytesFreed()).isEqualTo(1100);
  }

  @Test
  void aBoundEvictsDirectoriesByLastUseAndTheAgeFilterSparesRecentOnes() throws IOException {
    Path oldMount = directory("cache-mounts", 1, 4000, null);
    Digest middle = blob(1, 1000);
    Path newRootfs = directory("rootfs", 2, 4000, middle);
    clock.advance(Duration.ofMinutes(5));
    long total = store.diskUsage().entries().stream().mapToLong(DiskUsage.Entry::bytes).sum();
    assertThat(total).isEqualTo(9000);

    GcReport r = store.prune(PrunePolicy.keepBytes(5000));

    assertThat(r.directoriesRemoved()).containsExactly("cache-mounts/" + oldMount.getFileName());
    assertThat(r.blobsRemoved()).isEmpty();
    assertThat(r.bytesBefore()).isEqualTo(9000);
    assertThat(r.bytesAfter()).isEqualTo(5000);
    assertThat(newRootfs).isDirectory();

    GcReport aged = store.prune(PrunePolicy.keepBytes(0).olderThan(Duration.ofMinutes(6)));
    assertThat(aged.blobsRemoved()).containsExactly(middle);
    assertThat(aged.directoriesRemoved()).isEmpty();
    assertThat(newRootfs).isDirectory();
  }

  @Test
  void onlyDirectoriesOfTheStoreCanBeMarked() {
    assertThatThrownBy(() -> store.markUsed(root.resolve("elsewhere"), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("neither an unpacked layer");
  }
}
