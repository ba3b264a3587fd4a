package dev.gantry.store;

import dev.gantry.oci.Digest;
import dev.gantry.oci.VerifyingInputStream;
import dev.gantry.store.CacheRecordCodec.MalformedRecordException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The local content-addressed store shared by all builds: blobs named by their sha256, an index
 * from cache key to {@link CacheRecord}, tags naming manifests, named locks, verification and
 * size-bounded garbage collection. Data lives below {@code root/v1} (see {@code StoreLayout}).
 *
 * <p>Every write goes to a temporary file in the store, is fsync'd and renamed into place, so a
 * name is either absent or complete. Readers of blobs verify the content as they read. The store is
 * thread-safe, and several processes may use one root at the same time: the state is only on disk,
 * guarded by file locks where a check and a write must not interleave.
 */
public final class Store {
  private final Path root;
  private final StoreLayout layout;
  private final Clock clock;
  private final AtomicLong blobsWritten = new AtomicLong();
  private final AtomicLong bytesWritten = new AtomicLong();
  private final AtomicLong blobsReused = new AtomicLong();
  private final AtomicLong recordsWritten = new AtomicLong();
  private final AtomicLong tagsWritten = new AtomicLong();
  private final AtomicInteger batches = new AtomicInteger();
  private final Set<Path> unsyncedDirectories = ConcurrentHashMap.newKeySet();

  private Store(Path root, Clock clock) {
    this.root = root;
    this.layout = new StoreLayout(root);
    this.clock = clock;
  }

  /** Opens (creating if needed) the store at {@code root}. */
  public static Store open(Path root) throws IOException {
    return open(root, Clock.systemUTC());
  }

  /**
   * Opens the store at {@code root}, using {@code clock} for last-use times (which decide what
   * {@link #gc} evicts first).
   */
  public static Store open(Path root, Clock clock) throws IOException {
    Files.createDirectories(root);
    Path real = root.toRealPath();
    Store store = new Store(real, clock);
    for (Path dir : store.layout.directories()) {
      Files.createDirectories(dir);
    }
    return store;
  }

  /** The default store location: {@code $GANTRY_HOME}, else {@code ~/.cache/gantry}. */
  public static Path defaultRoot() {
    return defaultRoot(System.getenv(), System.getProperty("user.home"));
  }

  static Path defaultRoot(Map<String, String> env, String userHome) {
    String home = env.get("GANTRY_HOME");
    if (home != null && !home.isBlank()) {
      return Path.of(home);
    }
    return Path.of(userHome, ".cache", "gantry");
  }

  /** The store's root directory (its real path). */
  public Path root() {
    return root;
  }

  // ---- blobs ----

  /** Whether the store holds blob {@code digest}; false for algorithms other than sha256. */
  public boolean hasBlob(Digest digest) {
    return digest.algorithm().equals("sha256") && Files.isRegularFile(layout.blob(digest));
  }

  /**
   * Opens blob {@code digest} for reading. The stream verifies the content: when fully read and the
   * bytes do not hash to {@code digest}, the blob is removed from the store and the final read
   * throws {@link StoreCorruptionException}. Throws {@link NoSuchFileException} if absent.
   */
  public InputStream openBlob(Digest digest) throws IOException {
    Path path = layout.blob(digest);
    InputStream in = Files.newInputStream(path);
    AtomicFiles.touch(path, now());
    return VerifyingInputStream.of(in, digest, (actual, size) -> {
      quarantineIfCorrupt(digest);
      return new StoreCorruptionException(digest, actual, size);
    });
  }

  /** The whole of blob {@code digest}, verified. */
  public byte[] readBlob(Digest digest) throws IOException {
    try (InputStream in = openBlob(digest)) {
      return in.readAllBytes();
    }
  }

  /**
   * The file holding blob {@code digest}, for readers that need a path (zero-copy transfer,
   * hard links). The file must be treated as read-only; it is not verified here, see
   * {@link #verify()}. Throws {@link NoSuchFileException} if absent.
   */
  public Path blobPath(Digest digest) throws IOException {
    Path path = layout.blob(digest);
    if (!Files.isRegularFile(path)) {
      throw new NoSuchFileException(path.toString(), null, "no blob " + digest + " in the store");
    }
    AtomicFiles.touch(path, now());
    return path;
  }

  /** The size in bytes of blob {@code digest}; throws {@link NoSuchFileException} if absent. */
  public long size(Digest digest) throws IOException {
    return Files.size(layout.blob(digest));
  }

  /** A writer for one new blob; see {@link BlobWriter}. */
  public BlobWriter newBlobWriter() throws IOException {
    return BlobWriter.create(layout.tmp(), this::publish);
  }

  /** Stores {@code bytes} as a blob. */
  public StoredBlob putBlob(byte[] bytes) throws IOException {
    try (BlobWriter w = newBlobWriter()) {
      w.write(bytes);
      return w.commit();
    }
  }

  /** Stores everything {@code in} yields as a blob (the stream is read to its end, not closed). */
  public StoredBlob putBlob(InputStream in) throws IOException {
    return putBlob(in, null);
  }

  /**
   * Stores everything {@code in} yields, refusing it with a {@link DigestMismatchException} unless
   * it hashes to {@code expected} (when non-null).
   */
  public StoredBlob putBlob(InputStream in, Digest expected) throws IOException {
    try (BlobWriter w = newBlobWriter()) {
      in.transferTo(w);
      return w.commit(expected);
    }
  }

  /** A span of writes whose directory syncs wait for its end; see {@link #deferDirectorySyncs}. */
  public interface SyncBatch extends AutoCloseable {
    /** Syncs every directory this store renamed files into since the batch began. */
    @Override
    void close();
  }

  /**
   * Defers the directory syncs of this store's writes (blobs, records, indexes, tags) to the end of
   * the returned batch, which syncs each directory written into once: a build forces a directory
   * to disk once rather than once per file. Each file is still forced to disk before it is renamed
   * into place, so a crash within the batch can lose a rename (the entry is then absent, as if it
   * had not been written), never leave a partial file. Journaling file systems commit renames in
   * order, so a later rename that survives implies the earlier ones did.
   */
  public SyncBatch deferDirectorySyncs() {
    batches.incrementAndGet();
    return () -> {
      if (batches.decrementAndGet() == 0) {
        for (Path dir : List.copyOf(unsyncedDirectories)) {
          unsyncedDirectories.remove(dir);
          AtomicFiles.syncDirectory(dir);
        }
      }
    };
  }

  /** Syncs {@code dir}, a directory a file was just renamed into, now or at the end of the open batch. */
  private void syncDirectory(Path dir) {
    if (batches.get() > 0) {
      unsyncedDirectories.add(dir);
    } else {
      AtomicFiles.syncDirectory(dir);
    }
  }

  /** Every blob in the store, sorted. */
  public List<Digest> blobs() throws IOException {
    return Listing.blobs(layout);
  }

  private StoredBlob publish(Path temp, Digest digest, long size) throws IOException {
    Path target = layout.blob(digest);
    Listing.makeReadOnly(temp);
    Files.setLastModifiedTime(temp, now());
    return FileLocks.with(layout.blobLock(digest), () -> {
      if (Files.isRegularFile(target) && Files.size(target) == size) {
        AtomicFiles.touch(target, now());
        blobsReused.incrementAndGet();
        return new StoredBlob(digest, size, false);
      }
      // Absent, or present with the wrong size (corrupt): the new, verified bytes take its place.
      AtomicFiles.move(temp, target, this::syncDirectory);
      blobsWritten.incrementAndGet();
      bytesWritten.addAndGet(size);
      StoreBound.written(root, size);
      return new StoredBlob(digest, size, true);
    });
  }

  /**
   * Re-hashes blob {@code digest} under its lock and moves it to the quarantine if it is corrupt.
   * Returns whether it was.
   */
  boolean quarantineIfCorrupt(Digest digest) throws IOException {
    Path path = layout.blob(digest);
    return FileLocks.with(layout.blobLock(digest), () -> {
      Digest actual;
      try (InputStream in = Files.newInputStream(path)) {
        actual = Digest.sha256(in);
      } catch (NoSuchFileException e) {
        return false;
      }
      if (actual.equals(digest)) {
        return false;
      }
      Path aside = AtomicFiles.tempName(layout.quarantine(), digest.hex());
      AtomicFiles.move(path, aside);
      return true;
    });
  }

  // ---- cache index ----

  /**
   * The cached result for {@code cacheKey}, if recorded and every blob it needs is still present
   * (or, for a layer of an imported cache, can be fetched from its {@link CachedLayer#source}).
   * A hit marks the record and its blobs as recently used. An unreadable record (damaged, or of a
   * newer layout) is a miss too; the next {@link #record} replaces it.
   */
  public Optional<CacheRecord> lookup(Digest cacheKey) throws IOException {
    return lookup(cacheKey, null);
  }

  /**
   * As {@link #lookup(Digest)}, for a caller that holds the key's preimage (the key is its sha256):
   * the record is returned with {@code preimage}, and the stored copy, which can be megabytes for a
   * step over a large context, is not decoded.
   */
  public Optional<CacheRecord> lookup(Digest cacheKey, String preimage) throws IOException {
    Optional<CacheRecord> found;
    try {
      found = readRecord(cacheKey, preimage);
    } catch (MalformedRecordException e) {
      return Optional.empty();
    }
    if (found.isEmpty()) {
      return found;
    }
    // Marked as used before the check: a collection deletes only what is unchanged since it looked,
    // so what is present after the mark stays for the running build (see GarbageCollector).
    FileTime now = now();
    AtomicFiles.touch(layout.record(cacheKey), now);
    for (Digest blob : found.get().blobs()) {
      AtomicFiles.touch(layout.blob(blob), now);
    }
    for (CachedLayer layer : found.get().layers()) {
      if (layer.source() == null && !hasBlob(layer.digest())) {
        return Optional.empty();
      }
    }
    return found;
  }

  /**
   * Records {@code result} under {@code cacheKey}, atomically replacing an earlier record. Writing
   * a record identical to the stored one only marks it as used.
   */
  public void record(Digest cacheKey, CacheRecord result) throws IOException {
    Path file = layout.record(cacheKey);
    byte[] bytes = CacheRecordCodec.encode(cacheKey, result);
    // The stripe lock orders this write against gc deciding to evict the same record.
    FileLocks.with(layout.blobLock(cacheKey), () -> {
      if (AtomicFiles.sameContent(file, bytes)) {
        AtomicFiles.touch(file, now());
      } else {
        AtomicFiles.writeCache(layout.tmp(), file, bytes, now());
        recordsWritten.incrementAndGet();
      }
      return null;
    });
  }

  /**
   * The preimage text of {@code cacheKey} if a record of it exists, even one whose blobs are gone,
   * so that a build can explain why a step missed. Throws an {@link IOException} naming the problem
   * when the record cannot be read.
   */
  public Optional<String> preimage(Digest cacheKey) throws IOException {
    return readRecord(cacheKey, null).map(CacheRecord::preimage);
  }

  /** Every cache key with a record, sorted. */
  public List<Digest> cacheKeys() throws IOException {
    return Listing.records(layout);
  }

  /** The record of {@code cacheKey}; with a non-null {@code preimage}, the stored one is not decoded. */
  Optional<CacheRecord> readRecord(Digest cacheKey, String preimage) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(layout.record(cacheKey));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    return Optional.of(CacheRecordCodec.decode(cacheKey, bytes, preimage));
  }

  // ---- where absent blobs are ----

  /**
   * Records that blob {@code digest}, which the store need not hold, can be fetched from
   * {@code location} (text its caller defines, such as a registry repository), so that a later
   * command that needs the blob, a push of an image kept under a tag, can get it.
   */
  public void noteSource(Digest digest, String location) throws IOException {
    Path file = layout.source(digest);
    byte[] bytes = (location + "\n").getBytes(StandardCharsets.UTF_8);
    if (!AtomicFiles.sameContent(file, bytes)) {
      Files.createDirectories(file.getParent());
      AtomicFiles.writeCache(layout.tmp(), file, bytes, now());
    }
  }

  /** Where blob {@code digest} can be fetched from, if {@link #noteSource} recorded it. */
  public Optional<String> source(Digest digest) throws IOException {
    try {
      String text = Files.readString(layout.source(digest), StandardCharsets.UTF_8).trim();
      return text.isEmpty() ? Optional.empty() : Optional.of(text);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  // ---- layer indexes ----

  /**
   * The index of the layer whose uncompressed digest is {@code diffId}, if one is stored and intact;
   * a damaged one is removed and reported absent, so the caller indexes the layer again.
   */
  public Optional<LayerIndex> layerIndex(Digest diffId) throws IOException {
    Path file = layout.index(diffId);
    try {
      LayerIndex index = LayerIndexCodec.decode(diffId, Files.readAllBytes(file));
      AtomicFiles.touch(file, now());
      return Optional.of(index);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (LayerIndexCodec.MalformedIndexException e) {
      Files.deleteIfExists(file);
      return Optional.empty();
    }
  }

  /** The stored index of layer {@code diffId} in its file form, to hand to another store, if there is one. */
  public Optional<byte[]> layerIndexBytes(Digest diffId) throws IOException {
    try {
      byte[] bytes = Files.readAllBytes(layout.index(diffId));
      LayerIndexCodec.decode(diffId, bytes);
      return Optional.of(bytes);
    } catch (NoSuchFileException | LayerIndexCodec.MalformedIndexException e) {
      return Optional.empty();
    }
  }

  /**
   * Stores the index of layer {@code diffId} from its file form (another store's, see
   * {@link #layerIndexBytes}) once it decodes as an index of that layer; an {@link IOException}
   * names what is wrong with it otherwise.
   */
  public LayerIndex putLayerIndex(Digest diffId, byte[] encoded) throws IOException {
    LayerIndex index;
    try {
      index = LayerIndexCodec.decode(diffId, encoded);
    } catch (LayerIndexCodec.MalformedIndexException e) {
      throw new IOException("the index of layer " + diffId + " is refused: " + e.getMessage(), e);
    }
    AtomicFiles.writeCache(layout.tmp(), layout.index(diffId), encoded, now());
    return index;
  }

  /** Whether an index of layer {@code diffId} is stored (not checked; {@link #layerIndex} checks it). */
  public boolean hasLayerIndex(Digest diffId) {
    return Files.isRegularFile(layout.index(diffId));
  }

  /** Stores {@code index} (atomically replacing an earlier one of the same layer). */
  public void putLayerIndex(LayerIndex index) throws IOException {
    AtomicFiles.writeCache(layout.tmp(), layout.index(index.diffId()), LayerIndexCodec.encode(index), now());
  }

  // ---- tags ----

  /** Points tag {@code name} at manifest blob {@code manifestDigest}, which must be stored. */
  public void tag(String name, Digest manifestDigest) throws IOException {
    if (manifestDigest.algorithm().equals("sha256")) {
      AtomicFiles.touch(layout.blob(manifestDigest), now());
    }
    if (!hasBlob(manifestDigest)) {
      throw new NoSuchFileException(layout.blob(manifestDigest).toString(), null,
          "cannot tag " + name + ": no blob " + manifestDigest + " in the store");
    }
    if (name.isBlank() || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new IllegalArgumentException("not a tag name: \"" + name + "\"");
    }
    Path file = layout.tag(name);
    byte[] bytes = (manifestDigest + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8);
    if (!AtomicFiles.sameContent(file, bytes)) {
      AtomicFiles.write(layout.tmp(), file, bytes, now(), this::syncDirectory);
      tagsWritten.incrementAndGet();
    }
  }

  /** The manifest digest tag {@code name} points at, if the tag exists. */
  public Optional<Digest> resolve(String name) throws IOException {
    return Listing.readTag(layout.tag(name)).map(Map.Entry::getValue);
  }

  /** Removes tag {@code name}; returns whether it existed. */
  public boolean untag(String name) throws IOException {
    Path file = layout.tag(name);
    boolean existed = Files.deleteIfExists(file);
    AtomicFiles.syncDirectory(file.getParent());
    return existed;
  }

  /** Every tag and the manifest digest it points at, sorted by name. */
  public SortedMap<String, Digest> tags() throws IOException {
    return Listing.tags(layout);
  }

  // ---- locks ----

  /**
   * Runs {@code body} while holding the exclusive lock {@code name}, shared by every thread and
   * every process using this store root; waits for the lock. Reentrant within a thread. Exceptions
   * of {@code body} propagate unchanged.
   */
  public <T> T withLock(String name, Callable<T> body) throws Exception {
    return FileLocks.with(layout.lock(name), body::call);
  }

  // ---- maintenance ----

  /** Re-hashes every blob; corrupt blobs are moved out of the store and reported. */
  public VerifyReport verify() throws IOException {
    List<Digest> all = blobs();
    List<Digest> corrupt = new ArrayList<>();
    for (Digest digest : all) {
      Digest actual;
      try (InputStream in = Files.newInputStream(layout.blob(digest))) {
        actual = Digest.sha256(in);
      } catch (NoSuchFileException e) {
        continue;
      }
      if (!actual.equals(digest) && quarantineIfCorrupt(digest)) {
        corrupt.add(digest);
      }
    }
    return new VerifyReport(all.size(), corrupt);
  }

  /**
   * Evicts least-recently-used content until the store's entries (blobs, cache records, unpacked
   * layers, cache mounts) take at most {@code maxBytes}; also removes abandoned temporary files and
   * quarantined blobs. Never evicts blobs reachable from a tag, nor blobs a kept record needs. Meant
   * to run after each build: the sizes of cache mounts measured within the last hour are reused.
   */
  public GcReport gc(long maxBytes) throws IOException {
    return gc(maxBytes, Duration.ZERO);
  }

  /**
   * Applies the bound {@code maxBytes} after a build, as {@link #gc(long)} does, unless a recent
   * inventory of this JVM shows it is not needed (see {@link StoreBound}); returns empty then.
   */
  public Optional<GcReport> bound(long maxBytes) throws IOException {
    return StoreBound.apply(this, maxBytes, clock.instant());
  }

  /**
   * Like {@link #gc(long)}, but keeps everything used within {@code keepRecent}, even above the
   * bound.
   */
  public GcReport gc(long maxBytes, Duration keepRecent) throws IOException {
    return collect(PrunePolicy.keepBytes(maxBytes).olderThan(keepRecent), false);
  }

  /**
   * Removes what {@code policy} allows. Safe while builds run on this store (in this process or
   * others), provided each holds a {@link #lease()}: what they used since they started is kept, and
   * directories they may mount are left alone until no build runs.
   */
  public GcReport prune(PrunePolicy policy) throws IOException {
    return collect(policy, true);
  }

  private GcReport collect(PrunePolicy policy, boolean exact) throws IOException {
    return FileLocks.with(layout.gcLock(), () -> new GarbageCollector(this, layout, now()).collect(policy, exact));
  }

  /**
   * Registers a running build until the lease is closed; collections keep what it uses (see
   * {@link Lease}). Take it before the build reads anything from the store.
   */
  public Lease lease() throws IOException {
    return Lease.acquire(layout, clock.instant());
  }

  /**
   * Records that directory {@code dir} (an unpacked layer below {@code v1/rootfs} or a cache mount
   * below {@code v1/cache-mounts}) is being used now, for least-recently-used eviction. {@code
   * layerBlob}, for an unpacked layer, names the blob it came from: once that blob has left the store,
   * {@link PrunePolicy#unreferenced()} removes the directory too. The directory itself is not
   * changed.
   */
  public void markUsed(Path dir, Digest layerBlob) throws IOException {
    Inventory.markUsed(layout, dir, layerBlob, now());
  }

  /** What the store holds on disk, entry by entry; see {@link DiskUsage}. */
  public DiskUsage diskUsage() throws IOException {
    Inventory inv = Inventory.take(this, layout, true);
    Set<Path> counted = Set.of(layout.blobs(), layout.records(), layout.rootfs(), layout.cacheMounts());
    long other = Listing.treeSize(root, counted, new HashSet<>());
    return inv.usage(other);
  }

  /**
   * Removes the temporary files of writers that died (no live writer holds them) and that were last
   * written more than {@code grace} ago; returns how many. Safe while other builds write.
   */
  public int removeAbandonedTemps(Duration grace) throws IOException {
    return GarbageCollector.removeAbandonedTemps(layout, now().toMillis() - grace.toMillis());
  }

  /** What the store holds on disk now. */
  public StoreUsage usage() throws IOException {
    return Listing.usage(layout);
  }

  /** The write counters of this instance since it was opened. */
  public StoreStats stats() {
    return new StoreStats(blobsWritten.get(), bytesWritten.get(), blobsReused.get(),
        recordsWritten.get(), tagsWritten.get());
  }

  FileTime now() {
    return FileTime.from(clock.instant());
  }

  @Override
  public String toString() {
    return "Store[" + root + "]";
  }
}
