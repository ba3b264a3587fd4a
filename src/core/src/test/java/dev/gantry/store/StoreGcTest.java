package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    clock.advance(Duration.ofMinutes(1));
    byte[] b = new byte[1000];
    Arrays.fill(b, (byte) seed);
    return store.putBlob(b).digest();
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
}
