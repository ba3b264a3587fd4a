package dev.gantry.store;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The size bound applied after each build ({@link Store#bound}) without a full inventory every
 * time: a JVM that measured a store less than {@link #REMEASURE} ago at no more than half the
 * bound, and has written fewer blob bytes into it since than would take it past half, skips the
 * collection. What other processes write, and layers unpacked for RUN, count at the next full
 * inventory, at most a minute later. Thread-safe.
 */
final class StoreBound {
  /** How long an inventory that found a store under half its bound is trusted. */
  static final Duration REMEASURE = Duration.ofMinutes(1);
  /** Blob bytes this JVM wrote into each store, by root. */
  private static final Map<Path, AtomicLong> WRITTEN = new ConcurrentHashMap<>();
  /** The last inventory this JVM made of each store, by root. */
  private static final Map<Path, Measured> MEASURED = new ConcurrentHashMap<>();

  /** What an inventory found: the store's bytes, at {@code at}, when this JVM had written {@code written}. */
  private record Measured(long bytes, long written, Instant at) {}

  private StoreBound() {}

  /** Counts {@code bytes} of a blob this JVM added to the store at {@code root}. */
  static void written(Path root, long bytes) {
    WRITTEN.computeIfAbsent(root, r -> new AtomicLong()).addAndGet(bytes);
  }

  /** Collects down to {@code maxBytes} unless a recent inventory shows there is no need. */
  static Optional<GcReport> apply(Store store, long maxBytes, Instant now) throws IOException {
    long written = WRITTEN.computeIfAbsent(store.root(), r -> new AtomicLong()).get();
    Measured last = MEASURED.get(store.root());
    if (last != null && !now.isBefore(last.at()) && now.isBefore(last.at().plus(REMEASURE))
        && last.bytes() + (written - last.written()) <= maxBytes / 2) {
      return Optional.empty();
    }
    GcReport r = store.gc(maxBytes);
    MEASURED.put(store.root(), new Measured(r.bytesAfter(), written, now));
    return Optional.of(r);
  }
}
