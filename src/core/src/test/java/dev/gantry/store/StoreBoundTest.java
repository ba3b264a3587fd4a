package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bound applied after builds skips the full inventory only while a recent one of this JVM left
 * the store under half the bound with room for what was written since; otherwise it collects.
 */
class StoreBoundTest {
  @TempDir Path root;

  @Test
  void aRecentInventoryUnderHalfTheBoundIsTrustedUntilWritesOrTimeUseItUp() throws IOException {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    Store store = Store.open(root, clock);
    store.putBlob(new byte[1000]);

    assertThat(store.bound(10_000)).as("the first bound measures").isPresent();
    assertThat(store.bound(10_000)).as("1000 bytes of 10000: no need to measure again").isEmpty();

    store.putBlob(new byte[4500]);
    assertThat(store.bound(10_000)).as("5500 bytes would pass half the bound: measure").isPresent();
    assertThat(store.bound(20_000)).isEmpty();

    clock.advance(StoreBound.REMEASURE);
    assertThat(store.bound(20_000)).as("a minute later the inventory is made again").isPresent();

    assertThat(store.bound(1000)).as("a smaller bound collects").hasValueSatisfying(r ->
        assertThat(r.bytesAfter()).isLessThanOrEqualTo(1000));
  }

  @Test
  void boundsOfOtherStoresAreMeasuredOnTheirOwn() throws IOException {
    Store a = Store.open(root.resolve("a"));
    Store b = Store.open(root.resolve("b"));
    assertThat(a.bound(1 << 20)).isPresent();
    assertThat(b.bound(1 << 20)).isPresent();
    assertThat(a.bound(1 << 20)).isEmpty();
  }
}
