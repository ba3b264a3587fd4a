package dev.gantry.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.oci.Digest;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One garbage collection of a store, run under the store's gc lock.
 *
 * <p>Blobs and cache records are evicted in order of last use (oldest first) until the counted
 * bytes fit the bound. A blob is kept while it is reachable from a tag (following every
 * {@code "digest"} field of JSON blobs, so a tagged manifest keeps its config and layers) or while a
 * record that has not been evicted needs it; evicting a record frees its blobs. Anything used
 * since the collection looked at it (its last-use time changed) is kept. A collection that had to
 * evict also removes layer indexes used less recently than anything it keeps.
 */
final class GarbageCollector {
  /** Unlocked temporary files younger than this may belong to a writer that is just starting. */
  static final Duration TEMP_GRACE = Duration.ofMinutes(15);
  private static final long MAX_JSON_BYTES = 8L << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Store store;
  private final StoreLayout layout;
  private final FileTime now;

  GarbageCollector(Store store, StoreLayout layout, FileTime now) {
    this.store = store;
    this.layout = layout;
    this.now = now;
  }

  private record Item(FileTime lastUse, boolean isRecord, Digest digest, long size) {}

  GcReport collect(long maxBytes, Duration keepRecent) throws IOException {
    int temps = removeAbandonedTemps() + emptyQuarantine();
    long before = Listing.usage(layout).bytes();
    long usage = before;
    List<Digest> blobsRemoved = new ArrayList<>();
    List<Digest> recordsRemoved = new ArrayList<>();
    if (usage > maxBytes) {
      Set<Digest> pinned = reachableFromTags();
      Map<Digest, List<Digest>> needs = new HashMap<>();
      Map<Digest, Integer> refs = new HashMap<>();
      Map<Digest, Item> blobItems = new HashMap<>();
      List<Item> items = inventory(needs, refs, blobItems);
      long cutoff = now.toMillis() - keepRecent.toMillis();
      Set<Digest> passed = new HashSet<>();
      for (Item item : items) {
        if (usage <= maxBytes || item.lastUse().toMillis() > cutoff) {
          break;
        }
        if (item.isRecord()) {
          if (!deleteIfUnused(layout.record(item.digest()), item)) {
            continue;
          }
          recordsRemoved.add(item.digest());
          usage -= item.size();
          for (Digest blob : needs.getOrDefault(item.digest(), List.of())) {
            int left = refs.merge(blob, -1, Integer::sum);
            Item b = blobItems.get(blob);
            if (left == 0 && b != null && passed.contains(blob) && !pinned.contains(blob)
                && usage > maxBytes && deleteIfUnused(layout.blob(blob), b)) {
              blobsRemoved.add(blob);
              usage -= b.size();
            }
          }
        } else {
          passed.add(item.digest());
          if (!pinned.contains(item.digest()) && refs.getOrDefault(item.digest(), 0) == 0
              && deleteIfUnused(layout.blob(item.digest()), item)) {
            blobsRemoved.add(item.digest());
            usage -= item.size();
          }
        }
      }
      removeStaleIndexes(items, new HashSet<>(blobsRemoved), new HashSet<>(recordsRemoved), cutoff);
    }
    long after = Listing.usage(layout).bytes();
    return new GcReport(blobsRemoved, recordsRemoved, temps, before, after);
  }

  /**
   * Removes the layer indexes last used before everything this collection keeps (and before
   * {@code cutoff}): their layers are most likely gone, and an index removed in error is made again
   * from its layer when next needed.
   */
  private void removeStaleIndexes(List<Item> items, Set<Digest> blobsRemoved, Set<Digest> recordsRemoved,
      long cutoff) throws IOException {
    long oldestKept = items.stream()
        .filter(i -> !(i.isRecord() ? recordsRemoved : blobsRemoved).contains(i.digest()))
        .mapToLong(i -> i.lastUse().toMillis()).findFirst().orElse(now.toMillis());
    for (Path p : Listing.list(layout.indexes())) {
      try {
        long used = Files.getLastModifiedTime(p).toMillis();
        if (used < oldestKept && used <= cutoff) {
          Files.deleteIfExists(p);
        }
      } catch (NoSuchFileException e) {
        // removed meanwhile
      }
    }
  }

  /** Lists blobs and records oldest first; fills which blobs each record needs and ref counts. */
  private List<Item> inventory(Map<Digest, List<Digest>> needs, Map<Digest, Integer> refs,
      Map<Digest, Item> blobItems) throws IOException {
    List<Item> items = new ArrayList<>();
    for (Digest d : Listing.blobs(layout)) {
      try {
        Path p = layout.blob(d);
        Item item = new Item(Files.getLastModifiedTime(p), false, d, Files.size(p));
        items.add(item);
        blobItems.put(d, item);
      } catch (NoSuchFileException e) {
        // removed meanwhile
      }
    }
    for (Digest key : Listing.records(layout)) {
      Path p = layout.record(key);
      try {
        items.add(new Item(Files.getLastModifiedTime(p), true, key, Files.size(p)));
      } catch (NoSuchFileException e) {
        continue;
      }
      List<Digest> blobs;
      try {
        blobs = store.readRecord(key, null).map(CacheRecord::blobs).orElse(List.of());
      } catch (IOException e) {
        blobs = List.of(); // an unreadable record pins nothing and is evicted by age
      }
      needs.put(key, blobs);
      for (Digest b : blobs) {
        refs.merge(b, 1, Integer::sum);
      }
    }
    items.sort(Comparator.comparing(Item::lastUse)
        .thenComparing(i -> !i.isRecord())
        .thenComparing(Item::digest));
    return items;
  }

  /** Deletes {@code file} under its stripe lock unless it was used after the inventory. */
  private boolean deleteIfUnused(Path file, Item item) throws IOException {
    return FileLocks.with(layout.blobLock(item.digest()), () -> {
      try {
        if (!Files.getLastModifiedTime(file).equals(item.lastUse())) {
          return false;
        }
        Files.delete(file);
        return true;
      } catch (NoSuchFileException e) {
        return false;
      }
    });
  }

  /** Every blob reachable from a tag through {@code "digest"} fields of JSON blobs. */
  Set<Digest> reachableFromTags() throws IOException {
    Set<Digest> seen = new HashSet<>();
    Deque<Digest> todo = new ArrayDeque<>(Listing.tags(layout).values());
    while (!todo.isEmpty()) {
      Digest d = todo.pop();
      if (!d.algorithm().equals("sha256") || !seen.add(d) || !store.hasBlob(d)) {
        continue;
      }
      Path p = layout.blob(d);
      try {
        if (Files.size(p) > MAX_JSON_BYTES) {
          continue;
        }
        byte[] bytes = Files.readAllBytes(p);
        if (bytes.length == 0 || bytes[0] != '{') {
          continue;
        }
        collectDigests(JSON.readTree(bytes), todo);
      } catch (NoSuchFileException | com.fasterxml.jackson.core.JsonProcessingException e) {
        // gone, or not JSON: nothing more is reachable through it
      }
    }
    return seen;
  }

  private static void collectDigests(JsonNode node, Deque<Digest> out) {
    if (node.isObject()) {
      JsonNode d = node.get("digest");
      if (d != null && d.isTextual()) {
        try {
          out.push(Digest.parse(d.asText()));
        } catch (IllegalArgumentException e) {
          // not a digest
        }
      }
    }
    if (node.isContainerNode()) {
      node.forEach(child -> collectDigests(child, out));
    }
  }

  /** Removes temporary files no live writer holds and that are older than {@link #TEMP_GRACE}. */
  private int removeAbandonedTemps() throws IOException {
    int removed = 0;
    long cutoff = now.toMillis() - TEMP_GRACE.toMillis();
    for (Path p : Listing.list(layout.tmp())) {
      try {
        if (Files.getLastModifiedTime(p).toMillis() <= cutoff && deleteUnlocked(p)) {
          removed++;
        }
      } catch (NoSuchFileException e) {
        // finished meanwhile
      }
    }
    return removed;
  }

  private static boolean deleteUnlocked(Path p) throws IOException {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
      FileLock lock;
      try {
        lock = ch.tryLock(0, Long.MAX_VALUE, true);
      } catch (OverlappingFileLockException e) {
        return false; // a writer of this process holds it
      }
      if (lock == null) {
        return false; // a writer of another process holds it
      }
      Files.delete(p);
      return true;
    }
  }

  private int emptyQuarantine() throws IOException {
    int removed = 0;
    for (Path p : Listing.list(layout.quarantine())) {
      if (Files.deleteIfExists(p)) {
        removed++;
      }
    }
    return removed;
  }
}
