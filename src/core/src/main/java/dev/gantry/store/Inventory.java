package dev.gantry.store;

import dev.gantry.oci.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a store holds at one moment, entry by entry, oldest last use first: blobs, cache records
 * (and, read when asked for, the blobs each needs), unpacked layers and cache mounts. Read by {@link Store#diskUsage()}
 * and by the garbage collector.
 */
final class Inventory {
  /** The file next to a last-use marker remembering the directory's size. */
  static final String SIZE_SUFFIX = ".size";
  /** How long the remembered size of a cache mount is used by collections after builds. */
  static final Duration CACHE_MOUNT_SIZE_AGE = Duration.ofHours(1);

  /** One entry; {@code layerBlob} is the layer an unpacked directory came from, when known. */
  record Item(DiskUsage.Kind kind, String hex, Path path, long size, FileTime lastUse, Digest layerBlob) {
    Digest digest() {
      return new Digest("sha256", hex);
    }
  }

  final List<Item> items;
  private final Store store;
  private Map<Digest, List<Digest>> needs;

  private Inventory(Store store, List<Item> items) {
    this.store = store;
    this.items = items;
  }

  /** The blobs each listed cache record needs (read on first call). */
  Map<Digest, List<Digest>> needs() throws IOException {
    if (needs == null) {
      needs = new HashMap<>();
      for (Item i : items) {
        if (i.kind() == DiskUsage.Kind.RECORD) {
          List<Digest> blobs;
          try {
            blobs = store.readRecord(i.digest(), null).map(CacheRecord::blobs).orElse(List.of());
          } catch (IOException e) {
            blobs = List.of(); // gone meanwhile, or unreadable: pins nothing and is evicted by age
          }
          needs.put(i.digest(), blobs);
        }
      }
    }
    return needs;
  }

  /**
   * Lists the store. Directory sizes are remembered next to their last-use markers: an unpacked layer
   * never changes, so its size is measured once; a cache mount is measured again when {@code exact},
   * or when its remembered size is older than {@link #CACHE_MOUNT_SIZE_AGE}.
   */
  static Inventory take(Store store, StoreLayout layout, boolean exact) throws IOException {
    List<Item> items = new ArrayList<>();
    for (Digest d : Listing.blobs(layout)) {
      file(DiskUsage.Kind.BLOB, d, layout.blob(d), items);
    }
    for (Digest key : Listing.records(layout)) {
      file(DiskUsage.Kind.RECORD, key, layout.record(key), items);
    }
    directories(DiskUsage.Kind.ROOTFS, layout, exact, items);
    directories(DiskUsage.Kind.CACHE_MOUNT, layout, exact, items);
    items.sort(Comparator.comparing(Item::lastUse)
        .thenComparing(i -> i.kind() != DiskUsage.Kind.RECORD)
        .thenComparing(Item::kind)
        .thenComparing(Item::hex));
    return new Inventory(store, items);
  }

  private static boolean file(DiskUsage.Kind kind, Digest d, Path p, List<Item> out) throws IOException {
    try {
      out.add(new Item(kind, d.hex(), p, Files.size(p), Files.getLastModifiedTime(p), null));
      return true;
    } catch (NoSuchFileException e) {
      return false; // removed meanwhile
    }
  }

  /** The directories below {@code dir}: last use from their marker in {@code used}, else their mtime. */
  private static void directories(DiskUsage.Kind kind, StoreLayout layout, boolean exact, List<Item> out)
      throws IOException {
    Path dir = layout.base().resolve(StoreLayout.directoryName(kind));
    Path used = layout.used(StoreLayout.directoryName(kind));
    for (String hex : Listing.hexDirectories(dir)) {
      Path p = dir.resolve(hex);
      Path marker = used.resolve(hex);
      try {
        FileTime lastUse;
        Digest layer = null;
        if (Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)) {
          lastUse = Files.getLastModifiedTime(marker);
          layer = parseDigest(Files.readString(marker, StandardCharsets.UTF_8).trim());
        } else {
          lastUse = Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS);
        }
        out.add(new Item(kind, hex, p, size(kind, p, used.resolve(hex + SIZE_SUFFIX), exact, layout.tmp()), lastUse, layer));
      } catch (NoSuchFileException e) {
        // removed meanwhile
      }
    }
  }

  /** Writes or touches the last-use marker of {@code dir}; see {@link Store#markUsed}. */
  static void markUsed(StoreLayout layout, Path dir, Digest layerBlob, FileTime now) throws IOException {
    Path parent = dir.getParent();
    if (parent == null || !parent.equals(layout.rootfs()) && !parent.equals(layout.cacheMounts())) {
      throw new IllegalArgumentException(dir + " is neither an unpacked layer nor a cache mount of the store "
          + layout.base().getParent());
    }
    Path marker = layout.used(parent.getFileName().toString()).resolve(dir.getFileName().toString());
    byte[] bytes = (layerBlob == null ? "" : layerBlob + "\n").getBytes(StandardCharsets.UTF_8);
    if (AtomicFiles.sameContent(marker, bytes)) {
      AtomicFiles.touch(marker, now);
    } else {
      Files.createDirectories(marker.getParent());
      AtomicFiles.writeCache(layout.tmp(), marker, bytes, now);
    }
  }

  /** The size of directory {@code dir}, remembered in {@code sizeFile}. */
  private static long size(DiskUsage.Kind kind, Path dir, Path sizeFile, boolean exact, Path tmpDir)
      throws IOException {
    try {
      boolean fresh = kind == DiskUsage.Kind.ROOTFS || !exact && Files.getLastModifiedTime(sizeFile).toInstant()
          .isAfter(Instant.now().minus(CACHE_MOUNT_SIZE_AGE));
      if (fresh) {
        return Long.parseLong(Files.readString(sizeFile, StandardCharsets.US_ASCII).trim());
      }
    } catch (NoSuchFileException | NumberFormatException e) {
      // not measured yet
    }
    long size = Listing.treeSize(dir, Set.of(), new HashSet<>());
    Files.createDirectories(sizeFile.getParent());
    AtomicFiles.writeCache(tmpDir, sizeFile, Long.toString(size).getBytes(StandardCharsets.US_ASCII),
        FileTime.from(Instant.now()));
    return size;
  }

  private static Digest parseDigest(String text) {
    try {
      return text.isEmpty() ? null : Digest.parse(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The bytes of every entry. */
  long bytes() {
    return items.stream().mapToLong(Item::size).sum();
  }

  /** What {@code store} holds on disk, entry by entry, and the bytes of everything else below its root. */
  static DiskUsage diskUsage(Store store, StoreLayout layout) throws IOException {
    Inventory inv = take(store, layout, true);
    Set<Path> counted = Set.of(layout.blobs(), layout.records(), layout.rootfs(), layout.cacheMounts());
    long other = Listing.treeSize(store.root(), counted, new HashSet<>());
    return inv.usage(other);
  }

  /** The report form, with {@code otherBytes} for everything else below the root. */
  DiskUsage usage(long otherBytes) {
    List<DiskUsage.Entry> entries = new ArrayList<>();
    for (Item i : items) {
      entries.add(new DiskUsage.Entry(i.kind(), i.hex(), i.size(), i.lastUse().toInstant()));
    }
    return new DiskUsage(entries, otherBytes);
  }
}
