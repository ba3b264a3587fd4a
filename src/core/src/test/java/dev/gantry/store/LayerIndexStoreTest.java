package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.layer.EntryType;
import dev.gantry.layer.LayerEntry;
import dev.gantry.oci.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Layer indexes in the store: they round-trip every field, a damaged, truncated or misnamed file
 * is reported absent and removed (never trusted), and a 10,000-entry index loads in milliseconds.
 */
class LayerIndexStoreTest {
  @TempDir Path root;

  static LayerIndex sample(Digest diffId) {
    byte[] passwd = "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n"
        .getBytes(StandardCharsets.UTF_8);
    List<LayerEntry> entries = List.of(
        LayerEntry.directory("etc").withMtime(Instant.ofEpochSecond(1_700_000_000L, 5)),
        LayerEntry.file("etc/passwd", passwd).withOwner(0, 42).withMode(0640),
        LayerEntry.symlink("etc/localtime", "/usr/share/zoneinfo/UTC"),
        LayerEntry.hardlink("etc/passwd-", "etc/passwd"),
        LayerEntry.device("dev/null", EntryType.CHAR_DEVICE, 1, 3),
        LayerEntry.device("dev/sda", EntryType.BLOCK_DEVICE, 8, 0),
        LayerEntry.fifo("run/fifo"),
        LayerEntry.whiteout("srv/gone"),
        LayerEntry.opaque("var/cache"),
        LayerEntry.file("usr/bin/ping", new byte[70_000]).withMode(04755).withOwner(3_000_000_000L, 7)
            .withXattrs(Map.of("security.capability", "cap_net_raw+ep", "user.note", "ünïcode")),
        LayerEntry.file("usr/share/dóc/日本語.txt", new byte[3]).withMtime(Instant.ofEpochSecond(-5, 999)));
    return new LayerIndex(diffId, entries.stream().map(LayerIndex::withoutContent).toList(),
        Map.of("etc/passwd", passwd));
  }

  @Test
  void anIndexRoundTripsEveryField() throws IOException {
    Store store = Store.open(root);
    Digest diffId = Digest.sha256("layer one");
    LayerIndex index = sample(diffId);
    store.putLayerIndex(index);

    LayerIndex back = store.layerIndex(diffId).orElseThrow();
    assertThat(back).isEqualTo(index);
    assertThat(back.entries()).containsExactlyElementsOf(index.entries());
    assertThat(new String(back.files().get("etc/passwd"), StandardCharsets.UTF_8)).contains("app:x:1000");
    assertThat(store.layerIndex(Digest.sha256("another layer"))).isEmpty();
  }

  @Test
  void aDamagedIndexIsReportedAbsentAndRemoved() throws IOException {
    Store store = Store.open(root);
    Digest diffId = Digest.sha256("layer one");
    store.putLayerIndex(sample(diffId));
    Path file = root.resolve("v1/indexes/sha256/" + diffId.hex() + ".idx");
    byte[] good = Files.readAllBytes(file);

    byte[] flipped = good.clone();
    flipped[flipped.length - 40] ^= 0x01;
    Files.write(file, flipped);
    assertThat(store.layerIndex(diffId)).as("one flipped bit in the body").isEmpty();
    assertThat(file).as("a damaged index is removed").doesNotExist();

    Files.write(file, java.util.Arrays.copyOf(good, good.length / 2));
    assertThat(store.layerIndex(diffId)).as("truncated").isEmpty();

    Files.write(file, new byte[0]);
    assertThat(store.layerIndex(diffId)).as("empty").isEmpty();

    // A whole, valid index of another layer under this layer's name.
    Digest other = Digest.sha256("layer two");
    store.putLayerIndex(sample(other));
    Files.copy(root.resolve("v1/indexes/sha256/" + other.hex() + ".idx"), file);
    assertThat(store.layerIndex(diffId)).as("an index of another layer").isEmpty();

    store.putLayerIndex(sample(diffId));
    assertThat(store.layerIndex(diffId)).as("written again").contains(sample(diffId));
  }

  @Test
  void aCollectionThatEvictsRemovesIndexesOlderThanWhatItKeeps() throws IOException {
    MutableClock clock = new MutableClock(Instant.parse("2024-01-01T00:00:00Z"));
    Store store = Store.open(root, clock);
    Digest old = Digest.sha256("old layer");
    Digest used = Digest.sha256("used layer");
    store.putLayerIndex(sample(old));
    store.putLayerIndex(sample(used));
    List<Digest> blobs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      clock.advance(java.time.Duration.ofMinutes(1));
      blobs.add(store.putBlob(new byte[1000 + i]).digest());
    }
    clock.advance(java.time.Duration.ofMinutes(1));
    assertThat(store.layerIndex(used)).as("reading an index marks it used").isPresent();

    assertThat(store.gc(1 << 20).blobsRemoved()).isEmpty();
    Path oldFile = root.resolve("v1/indexes/sha256/" + old.hex() + ".idx");
    assertThat(oldFile).as("a collection that evicts nothing keeps every index").exists();
    clock.advance(java.time.Duration.ofMinutes(1));
    assertThat(store.layerIndex(used)).isPresent();

    assertThat(store.gc(2100).blobsRemoved()).containsExactly(blobs.get(0));
    assertThat(oldFile).as("used before the oldest blob kept").doesNotExist();
    assertThat(store.layerIndex(used)).isPresent();
  }

  @Test
  void aTenThousandEntryIndexLoadsInMilliseconds() throws IOException {
    Store store = Store.open(root);
    Digest diffId = Digest.sha256("jre");
    List<LayerEntry> entries = new ArrayList<>();
    for (int d = 0; d < 200; d++) {
      entries.add(LayerEntry.directory("usr/lib/jvm/java-17-openjdk-amd64/lib/module" + d));
      for (int f = 0; f < 50; f++) {
        entries.add(LayerIndex.withoutContent(LayerEntry.file(
            "usr/lib/jvm/java-17-openjdk-amd64/lib/module" + d + "/libfile" + f + ".so", new byte[0])
            .withMtime(Instant.ofEpochSecond(1_690_000_000L)).withMode(0755)));
      }
    }
    LayerIndex index = new LayerIndex(diffId, entries, Map.of());
    store.putLayerIndex(index);
    long size = Files.size(root.resolve("v1/indexes/sha256/" + diffId.hex() + ".idx"));
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 30; i++) {
      long t0 = System.nanoTime();
      LayerIndex back = store.layerIndex(diffId).orElseThrow();
      best = Math.min(best, System.nanoTime() - t0);
      assertThat(back.entries()).hasSize(entries.size());
    }
    System.out.printf("layer index: %d entries, %d bytes, loads in %.2f ms%n", entries.size(), size, best / 1e6);
    assertThat(size).as("bytes per entry").isLessThan(entries.size() * 40L);
    assertThat(best).as("load time, ns (generous bound for a loaded machine)").isLessThan(100_000_000L);
  }
}
