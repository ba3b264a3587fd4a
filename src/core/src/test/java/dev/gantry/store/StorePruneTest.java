package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.oci.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prune policies and leases on a store with a controlled clock: what a live lease protects, stale
 * leases, unpacked layers whose blob left the store, and directories evicted by last use.
 */
class StorePruneTest {
  @TempDir Path root;
  private MutableClock clock;
  private Store store;

  @BeforeEach
  void open() throws IOException {
    clock = new MutableClock(Instant.parse("2024-01-01T00:00:00Z"));
    store = Store.open(root, clock);
  }

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

  private static CachedLayer layer(Digest d) {
    return new CachedLayer(d, d, 1000, "application/vnd.oci.image.layer.v1.tar");
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
