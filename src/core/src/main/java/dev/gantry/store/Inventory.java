package dev.gantry.store;

import dev.gantry.oci.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a store holds at one moment, entry by entry, oldest last use first: blobs, cache records
 * (with the blobs each needs), unpacked layers and cache mounts. Read by {@link Store#diskUsage()}
 * and by the garbage collector.
 */
final class Inventory {
  /** One entry; {@code layerBlob} is the layer an unpacked directory came from, when known. */
  record Item(DiskUsage.Kind kind, String hex, Path path, long size, FileTime lastUse, Digest layerBlob) {
    Digest digest() {
      return new Digest("sha256", hex);
    }
  }

  final List<Item> items;
  final Map<Digest, List<Digest>> needs;

  private Inventory(List<Item> items, Map<Digest, List<Digest>> needs) {
    this.items = items;
    this.needs = needs;
  }

  static Inventory take(Store store, StoreLayout layout) throws IOException {
    List<Item> items = new ArrayList<>();
    Map<Digest, List<Digest>> needs = new HashMap<>();
    for (Digest d : Listing.blobs(layout)) {
      file(DiskUsage.Kind.BLOB, d, layout.blob(d), items);
    }
    for (Digest key : Listing.records(layout)) {
      if (!file(DiskUsage.Kind.RECORD, key, layout.record(key), items)) {
        continue;
      }
      List<Digest> blobs;
      try {
        blobs = store.readRecord(key, null).map(CacheRecord::blobs).orElse(List.of());
      } catch (IOException e) {
        blobs = List.of(); // an unreadable record pins nothing and is evicted by age
      }
      needs.put(key, blobs);
    }
    directories(DiskUsage.Kind.ROOTFS, layout, items);
    directories(DiskUsage.Kind.CACHE_MOUNT, layout, items);
    items.sort(Comparator.comparing(Item::lastUse)
        .thenComparing(i -> i.kind() != DiskUsage.Kind.RECORD)
        .thenComparing(Item::kind)
        .thenComparing(Item::hex));
    return new Inventory(items, needs);
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
  private static void directories(DiskUsage.Kind kind, StoreLayout layout, List<Item> out) throws IOException {
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
        out.add(new Item(kind, hex, p, Listing.treeSize(p, Set.of(), new HashSet<>()), lastUse, layer));
      } catch (NoSuchFileException e) {
        // removed meanwhile
      }
    }
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

  /** The report form, with {@code otherBytes} for everything else below the root. */
  DiskUsage usage(long otherBytes) {
    List<DiskUsage.Entry> entries = new ArrayList<>();
    for (Item i : items) {
      entries.add(new DiskUsage.Entry(i.kind(), i.hex(), i.size(), i.lastUse().toInstant()));
    }
    return new DiskUsage(entries, otherBytes);
  }
}
