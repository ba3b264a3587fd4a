package dev.gantry.store;

import java.time.Duration;

/**
 * What one collection of a store ({@link Store#prune}) may remove. Tagged images (and everything
 * their manifests name) are never removed, nor anything a running build may use (see {@link Lease}).
 *
 * <ul>
 *   <li>{@link #unreferenced()}: blobs no tag reaches and no cache record needs, cache records whose
 *       blobs are gone, unpacked layers (RUN rootfs caches) of layers no longer stored;
 *   <li>{@link #allUntagged()}: also every cache record, every unpacked layer and every cache mount;
 *   <li>{@link #keepBytes(long)}: cache records, unreferenced blobs, unpacked layers and cache mounts,
 *       least recently used first, until the store holds at most that many bytes.
 * </ul>
 *
 * @param all whether cache records, unpacked layers and cache mounts go too (without a bound)
 * @param keepBytes the size bound, or -1 for none
 * @param olderThan only what was last used longer ago than this is removed
 */
public record PrunePolicy(boolean all, long keepBytes, Duration olderThan) {
  public PrunePolicy {
    if (olderThan.isNegative()) {
      throw new IllegalArgumentException("negative age: " + olderThan);
    }
  }

  /** Removes unreferenced data only. */
  public static PrunePolicy unreferenced() {
    return new PrunePolicy(false, -1, Duration.ZERO);
  }

  /** Removes everything no tag needs. */
  public static PrunePolicy allUntagged() {
    return new PrunePolicy(true, -1, Duration.ZERO);
  }

  /** Evicts least recently used data until the store holds at most {@code bytes}. */
  public static PrunePolicy keepBytes(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("negative size bound: " + bytes);
    }
    return new PrunePolicy(false, bytes, Duration.ZERO);
  }

  /** This policy, restricted to what was last used longer ago than {@code age}. */
  public PrunePolicy olderThan(Duration age) {
    return new PrunePolicy(all, keepBytes, age);
  }

  /** Whether this policy evicts by size. */
  public boolean bounded() {
    return keepBytes >= 0;
  }
}
