package dev.gantry.store;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * What a store holds on disk, entry by entry: blobs, cache records, unpacked layers of RUN steps
 * ({@code v1/rootfs}) and cache mounts, plus the bytes of everything else below the root (tags,
 * locks, temporary files, builds' scratch directories, the context stat cache). Sizes are the
 * apparent sizes of regular files and symbolic links, each inode counted once.
 */
public record DiskUsage(List<Entry> entries, long otherBytes) {
  public DiskUsage {
    entries = List.copyOf(entries);
  }

  /** The kinds of entries. */
  public enum Kind {
    BLOB("blobs"), RECORD("cache records"), ROOTFS("RUN rootfs caches"), CACHE_MOUNT("cache mounts");

    private final String title;

    Kind(String title) {
      this.title = title;
    }

    /** How the kind is named to users. */
    public String title() {
      return title;
    }
  }

  /** One blob, record or directory: {@code name} is its sha256 hex. */
  public record Entry(Kind kind, String name, long bytes, Instant lastUse) {}

  /** The bytes of every entry of {@code kind}. */
  public long bytes(Kind kind) {
    return entries.stream().filter(e -> e.kind() == kind).mapToLong(Entry::bytes).sum();
  }

  /** How many entries of {@code kind} there are. */
  public long count(Kind kind) {
    return entries.stream().filter(e -> e.kind() == kind).count();
  }

  /** Every byte below the store's root. */
  public long totalBytes() {
    return entries.stream().mapToLong(Entry::bytes).sum() + otherBytes;
  }

  /** The {@code n} largest entries, largest first. */
  public List<Entry> largest(int n) {
    return entries.stream().sorted(Comparator.comparingLong(Entry::bytes).reversed()
        .thenComparing(Entry::name)).limit(n).toList();
  }
}
