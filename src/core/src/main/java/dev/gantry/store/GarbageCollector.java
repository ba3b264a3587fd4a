package dev.gantry.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.layer.SafeExtractor;
import dev.gantry.oci.Digest;
import dev.gantry.oci.Json;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One garbage collection of a store, run under the store's gc lock, removing what a
 * {@link PrunePolicy} allows.
 *
 * <p>A bounded collection evicts cache records, blobs, unpacked layers and cache mounts in order of
 * last use (oldest first) until the counted bytes fit the bound. A blob is kept while it is reachable
 * from a tag (following every {@code "digest"} field of JSON blobs, so a tagged manifest keeps its
 * config and layers) or while a record that has not been evicted needs it; evicting a record frees
 * its blobs. Anything used since the collection looked at it (its last-use time changed) is kept.
 *
 * <p>Running builds hold {@link Lease}s. While one is live, everything used since the oldest live
 * lease started is kept, and no directory is removed (a build may be about to mount it); without
 * live leases the collection holds the lease lock, so no build starts until it is done.
 */
final class GarbageCollector {
  /** Unlocked temporary files younger than this may belong to a writer that is just starting. */
  static final Duration TEMP_GRACE = Duration.ofMinutes(15);
  /** Slack below a live lease's start, for file systems whose times are coarser than the clock's. */
  private static final Duration LEASE_SLACK = Duration.ofSeconds(2);
  private static final String ASIDE = ".gc-";
  private static final long MAX_JSON_BYTES = 8L << 20;

  private final Store store;
  private final StoreLayout layout;
  private final FileTime now;
  private final List<Digest> blobsRemoved = new ArrayList<>();
  private final List<Digest> recordsRemoved = new ArrayList<>();
  private final List<String> dirsRemoved = new ArrayList<>();
  private final Set<Path> removedPaths = new HashSet<>();
  private long freed;

  GarbageCollector(Store store, StoreLayout layout, FileTime now) {
    this.store = store;
    this.layout = layout;
    this.now = now;
  }

  /**
   * Collects what {@code policy} allows; {@code exact} measures cache mounts again rather than use
   * their remembered sizes (see {@link Inventory#take}).
   */
  GcReport collect(PrunePolicy policy, boolean exact) throws IOException {
    int leftovers = removeAbandonedTemps() + emptyQuarantine();
    long cutoff = now.toMillis() - policy.olderThan().toMillis();
    long[] before = {-1};
    Instant oldestLease = FileLocks.with(layout.leaseLock(), () -> {
      List<Instant> live = Lease.live(layout);
      if (!live.isEmpty()) {
        return live.stream().min(Instant::compareTo).orElseThrow();
      }
      before[0] = run(policy, cutoff, true, exact);
      return null;
    });
    boolean buildsRunning = oldestLease != null;
    if (buildsRunning) {
      before[0] = run(policy, Math.min(cutoff, oldestLease.minus(LEASE_SLACK).toEpochMilli()), false, exact);
    }
    return new GcReport(blobsRemoved, recordsRemoved, dirsRemoved, leftovers, freed, before[0],
        before[0] - freed, buildsRunning);
  }

  /** Removes what {@code policy} allows among entries last used at or before {@code cutoff}; returns the bytes before. */
  private long run(PrunePolicy policy, long cutoff, boolean dirs, boolean exact) throws IOException {
    if (dirs) {
      removeAsideLeftovers();
    }
    Inventory inv = Inventory.take(store, layout, exact);
    long before = inv.bytes();
    if (policy.bounded() && before <= policy.keepBytes()) {
      return before;
    }
    Set<Digest> pinned = reachableFromTags();
    Map<Digest, Integer> refs = new HashMap<>();
    Map<Digest, Inventory.Item> blobs = new HashMap<>();
    inv.needs().values().forEach(list -> list.forEach(b -> refs.merge(b, 1, Integer::sum)));
    for (Inventory.Item item : inv.items) {
      if (item.kind() == DiskUsage.Kind.BLOB) {
        blobs.put(item.digest(), item);
      }
    }
    List<Inventory.Item> eligible = inv.items.stream()
        .filter(i -> i.lastUse().toMillis() <= cutoff).toList();
    if (policy.bounded()) {
      evictUntil(policy.keepBytes(), before, eligible, inv, pinned, refs, blobs, dirs);
      removeStaleIndexes(inv, cutoff);
      removeUnneededSources(pinned, refs, cutoff);
      return before;
    }
    for (Inventory.Item item : eligible) {
      if (item.kind() == DiskUsage.Kind.RECORD
          && (policy.all() || !blobs.keySet().containsAll(inv.needs().getOrDefault(item.digest(), List.of())))
          && deleteIfUnused(item)) {
        inv.needs().getOrDefault(item.digest(), List.of()).forEach(b -> refs.merge(b, -1, Integer::sum));
      }
    }
    for (Inventory.Item item : eligible) {
      if (item.kind() == DiskUsage.Kind.BLOB && !pinned.contains(item.digest())
          && refs.getOrDefault(item.digest(), 0) <= 0) {
        deleteIfUnused(item);
      }
    }
    for (Inventory.Item item : eligible) {
      boolean removable = switch (item.kind()) {
        case ROOTFS -> policy.all() || item.layerBlob() == null || !store.hasBlob(item.layerBlob());
        case CACHE_MOUNT -> policy.all();
        default -> false;
      };
      if (dirs && removable) {
        deleteDirectory(item);
      }
    }
    removeStaleIndexes(inv, cutoff);
    removeUnneededSources(pinned, refs, cutoff);
    return before;
  }

  /**
   * Removes the notes of where absent blobs can be fetched or mounted from ({@code sources/}) that
   * neither a tagged image nor a kept cache record names any more, last written at or before
   * {@code cutoff}: a note is only read for a blob one of those names.
   */
  private void removeUnneededSources(Set<Digest> pinned, Map<Digest, Integer> refs, long cutoff) throws IOException {
    for (Digest d : Listing.sources(layout)) {
      if (pinned.contains(d) || refs.getOrDefault(d, 0) > 0) {
        continue;
      }
      Path p = layout.source(d);
      try {
        if (Files.getLastModifiedTime(p).toMillis() <= cutoff) {
          Files.deleteIfExists(p);
        }
      } catch (NoSuchFileException e) {
        // removed meanwhile
      }
    }
  }

  /**
   * After a collection that removed something: removes the layer indexes last used before
   * everything it keeps (and before {@code cutoff}). Their layers are most likely gone, and an index
   * removed in error is made again from its layer when next needed.
   */
  private void removeStaleIndexes(Inventory inv, long cutoff) throws IOException {
    if (blobsRemoved.isEmpty() && recordsRemoved.isEmpty() && dirsRemoved.isEmpty()) {
      return;
    }
    long oldestKept = inv.items.stream().filter(i -> !removed(i))
        .mapToLong(i -> i.lastUse().toMillis()).min().orElse(now.toMillis());
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

  private boolean removed(Inventory.Item item) {
    return removedPaths.contains(item.path());
  }

  /** Evicts eligible entries, least recently used first, until {@code usage} fits {@code bound}. */
  private void evictUntil(long bound, long usage, List<Inventory.Item> eligible, Inventory inv,
      Set<Digest> pinned, Map<Digest, Integer> refs, Map<Digest, Inventory.Item> blobs, boolean dirs)
      throws IOException {
    Set<Digest> passed = new HashSet<>();
    for (Inventory.Item item : eligible) {
      if (usage <= bound) {
        return;
      }
      switch (item.kind()) {
        case RECORD -> {
          if (!deleteIfUnused(item)) {
            continue;
          }
          usage -= item.size();
          for (Digest blob : inv.needs().getOrDefault(item.digest(), List.of())) {
            int left = refs.merge(blob, -1, Integer::sum);
            Inventory.Item b = blobs.get(blob);
            if (left == 0 && b != null && passed.contains(blob) && !pinned.contains(blob)
                && usage > bound && deleteIfUnused(b)) {
              usage -= b.size();
            }
          }
        }
        case BLOB -> {
          passed.add(item.digest());
          if (!pinned.contains(item.digest()) && refs.getOrDefault(item.digest(), 0) == 0
              && deleteIfUnused(item)) {
            usage -= item.size();
          }
        }
        default -> {
          if (dirs && deleteDirectory(item)) {
            usage -= item.size();
          }
        }
      }
    }
  }

  /** Deletes a blob or record under its stripe lock unless it was used after the inventory. */
  private boolean deleteIfUnused(Inventory.Item item) throws IOException {
    boolean deleted = deleteIfUnused(item.path(), item.digest(), item.lastUse());
    if (deleted) {
      (item.kind() == DiskUsage.Kind.BLOB ? blobsRemoved : recordsRemoved).add(item.digest());
      removedPaths.add(item.path());
      freed += item.size();
    }
    return deleted;
  }

  /**
   * Removes an unpacked layer or cache mount: renamed aside first (so its name is gone at once),
   * then deleted with its last-use marker. Only called while the lease lock is held.
   */
  private boolean deleteDirectory(Inventory.Item item) throws IOException {
    Path aside = item.path().resolveSibling(ASIDE + item.hex() + "-" + AtomicFiles.randomName());
    try {
      Files.move(item.path(), aside, StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      return false;
    }
    String kind = StoreLayout.directoryName(item.kind());
    Files.deleteIfExists(layout.used(kind).resolve(item.hex()));
    Files.deleteIfExists(layout.used(kind).resolve(item.hex() + Inventory.SIZE_SUFFIX));
    SafeExtractor.deleteTree(aside);
    dirsRemoved.add(kind + "/" + item.hex());
    removedPaths.add(item.path());
    freed += item.size();
    return true;
  }

  /** Deletes directories an interrupted collection left renamed aside. */
  private void removeAsideLeftovers() throws IOException {
    for (Path dir : List.of(layout.rootfs(), layout.cacheMounts())) {
      for (Path p : Listing.list(dir)) {
        if (p.getFileName().toString().startsWith(ASIDE)) {
          SafeExtractor.deleteTree(p);
        }
      }
    }
  }

  /** Deletes {@code file} under its stripe lock unless it was used after the inventory. */
  private boolean deleteIfUnused(Path file, Digest digest, FileTime lastUse) throws IOException {
    return FileLocks.with(layout.blobLock(digest), () -> {
      try {
        if (!Files.getLastModifiedTime(file).equals(lastUse)) {
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
        collectDigests(Json.readTree(bytes), todo);
      } catch (NoSuchFileException | IllegalArgumentException e) {
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
    return removeAbandonedTemps(layout, now.toMillis() - TEMP_GRACE.toMillis());
  }

  /**
   * Removes the files in {@code tmp/} last written at or before {@code cutoffMillis} that no live
   * writer holds: a {@link BlobWriter} of this process (never opened here, since closing a
   * descriptor of the file would drop its lock) or the file lock of a writer in another process.
   */
  static int removeAbandonedTemps(StoreLayout layout, long cutoffMillis) throws IOException {
    int removed = 0;
    for (Path p : Listing.list(layout.tmp())) {
      try {
        if (Files.getLastModifiedTime(p).toMillis() <= cutoffMillis && !BlobWriter.isLive(p)
            && deleteUnlocked(p)) {
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
