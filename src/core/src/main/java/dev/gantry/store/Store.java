package dev.gantry.store;

import dev.gantry.oci.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.Callable;

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
  private final DirectorySyncs syncs = new DirectorySyncs();
  private final StoreBlobs blobFiles;
  private final StoreRecords records;
  private final StoreIndexes indexes;
  private final StoreTags tagFiles;

  private Store(Path root, Clock clock) {
    this.root = root;
    this.layout = new StoreLayout(root);
    this.clock = clock;
    this.blobFiles = new StoreBlobs(this, layout, syncs::sync);
    this.records = new StoreRecords(this, layout);
    this.indexes = new StoreIndexes(this, layout);
    this.tagFiles = new StoreTags(this, layout, syncs::sync);
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
    return blobFiles.open(digest);
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
    return blobFiles.path(digest);
  }

  /** The size in bytes of blob {@code digest}; throws {@link NoSuchFileException} if absent. */
  public long size(Digest digest) throws IOException {
    return Files.size(layout.blob(digest));
  }

  /** A writer for one new blob; see {@link BlobWriter}. */
  public BlobWriter newBlobWriter() throws IOException {
    return blobFiles.newWriter();
  }

  /** A writer of every byte of {@code in}, in order (see {@link StoreBlobs#newWriter(InputStream, Digest)}). */
  BlobWriter newBlobWriter(InputStream in, Digest expected) throws IOException {
    return blobFiles.newWriter(in, expected);
  }

  /** Stores {@code bytes} as a blob. */
  public StoredBlob putBlob(byte[] bytes) throws IOException {
    return blobFiles.put(bytes);
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
    return blobFiles.put(in, expected);
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
    return syncs.defer();
  }

  /** Every blob in the store, sorted. */
  public List<Digest> blobs() throws IOException {
    return Listing.blobs(layout);
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
    return records.lookup(cacheKey, preimage);
  }

  /**
   * Records {@code result} under {@code cacheKey}, atomically replacing an earlier record. Writing
   * a record identical to the stored one only marks it as used.
   */
  public void record(Digest cacheKey, CacheRecord result) throws IOException {
    records.record(cacheKey, result);
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
    return records.read(cacheKey, preimage);
  }

  // ---- where absent blobs are ----

  /**
   * Records that blob {@code digest}, which the store need not hold, can be fetched from
   * {@code location} (text its caller defines, such as a registry repository), so that a later
   * command that needs the blob, a push of an image kept under a tag, can get it.
   */
  public void noteSource(Digest digest, String location) throws IOException {
    indexes.noteSource(digest, location);
  }

  /** Where blob {@code digest} can be fetched from, if {@link #noteSource} recorded it. */
  public Optional<String> source(Digest digest) throws IOException {
    return indexes.source(digest);
  }

  // ---- layer indexes ----

  /**
   * The index of the layer whose uncompressed digest is {@code diffId}, if one is stored and intact;
   * a damaged one is removed and reported absent, so the caller indexes the layer again.
   */
  public Optional<LayerIndex> layerIndex(Digest diffId) throws IOException {
    return indexes.layerIndex(diffId);
  }

  /** The stored index of layer {@code diffId} in its file form, to hand to another store, if there is one. */
  public Optional<byte[]> layerIndexBytes(Digest diffId) throws IOException {
    return indexes.layerIndexBytes(diffId);
  }

  /**
   * Stores the index of layer {@code diffId} from its file form (another store's, see
   * {@link #layerIndexBytes}) once it decodes as an index of that layer; an {@link IOException}
   * names what is wrong with it otherwise.
   */
  public LayerIndex putLayerIndex(Digest diffId, byte[] encoded) throws IOException {
    return indexes.putLayerIndex(diffId, encoded);
  }

  /** Whether an index of layer {@code diffId} is stored (not checked; {@link #layerIndex} checks it). */
  public boolean hasLayerIndex(Digest diffId) {
    return Files.isRegularFile(layout.index(diffId));
  }

  /** Stores {@code index} (atomically replacing an earlier one of the same layer). */
  public void putLayerIndex(LayerIndex index) throws IOException {
    indexes.putLayerIndex(index);
  }

  // ---- tags ----

  /** Points tag {@code name} at manifest blob {@code manifestDigest}, which must be stored. */
  public void tag(String name, Digest manifestDigest) throws IOException {
    tagFiles.tag(name, manifestDigest);
  }

  /** The manifest digest tag {@code name} points at, if the tag exists. */
  public Optional<Digest> resolve(String name) throws IOException {
    return Listing.readTag(layout.tag(name)).map(Map.Entry::getValue);
  }

  /** Removes tag {@code name}; returns whether it existed. */
  public boolean untag(String name) throws IOException {
    return tagFiles.untag(name);
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
    return blobFiles.verify();
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
    return Inventory.diskUsage(this, layout);
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
    return new StoreStats(blobFiles.written(), blobFiles.bytesWritten(), blobFiles.reused(),
        records.written(), tagFiles.written());
  }

  FileTime now() {
    return FileTime.from(clock.instant());
  }

  @Override
  public String toString() {
    return "Store[" + root + "]";
  }
}
