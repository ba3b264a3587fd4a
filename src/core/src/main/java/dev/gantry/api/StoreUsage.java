package dev.gantry.api;

import java.time.Instant;
import java.util.List;

/**
 * What a local store holds on disk, as {@code gantry du} shows it. Sizes are apparent sizes of
 * regular files and links, each inode counted once; {@link #totalBytes()} is every byte below the
 * store's root.
 *
 * @param categories blobs, cache records, RUN rootfs caches, cache mounts and other files, in that
 *     order
 * @param entries every blob, cache record, unpacked layer and cache mount, largest first
 */
public record StoreUsage(List<Category> categories, List<Entry> entries) {
  public StoreUsage {
    categories = List.copyOf(categories);
    entries = List.copyOf(entries);
  }

  /** One kind of content: its name, how many entries and how many bytes. */
  public record Category(String name, long count, long bytes) {}

  /** One blob, record or directory: its kind (a category name), its sha256 hex, size and last use. */
  public record Entry(String kind, String name, long bytes, Instant lastUse) {}

  /** The sum of every category. */
  public long totalBytes() {
    return categories.stream().mapToLong(Category::bytes).sum();
  }
}
