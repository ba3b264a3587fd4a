package dev.gantry.context;

import dev.gantry.oci.Digest;
import dev.gantry.oci.IoTasks;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Content digests (sha256) of context files, read as streams and remembered in a {@link StatCache}
 * so that an unchanged context is not read again.
 *
 * <p>Call {@link #digest} for each file, then {@link #save} once. A file that changes while it is
 * being read is hashed but not cached. The cache of a store stays in memory between the builds of
 * one JVM (a Maven build, a library user) while its file is unchanged. This class is thread-safe.
 */
public final class FileDigests {
  /** Name of the cache file inside the cache directory. */
  public static final String CACHE_FILE = "context-stat-cache.bin";
  /** Default timestamp granularity for the racy check: covers every common filesystem. */
  public static final Duration DEFAULT_GRANULARITY = Duration.ofSeconds(2);

  /** How many stores' caches a JVM keeps between builds (one per store, most recently used). */
  private static final int KEPT_CACHES = 8;
  /**
   * The caches loaded by this JVM, by file: a later build on the same store takes its cache from
   * here rather than reading the file again, as long as the file is what the cache last read or
   * wrote. Entries are checked against each file's stat data on every look-up anyway.
   */
  private static final Map<Path, StatCache> KEPT = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Path, StatCache> eldest) {
      return size() > KEPT_CACHES;
    }
  };

  private final CompletableFuture<StatCache> loading;
  private final LongSupplier clock;
  private final AtomicLong contentReads = new AtomicLong();
  /**
   * This instance's reads (one build's), by file name: a second caller for a file waits for the read
   * under way. A finished read stays only where the stat cache does not answer for the file (changed
   * within the timestamp granularity, as in a fresh checkout): its digest is taken while the file's
   * stat data is unchanged, so no file is read twice in a build.
   */
  private final Map<String, Reading> reading = new ConcurrentHashMap<>();
  private CompletableFuture<Void> saving;

  /** A read of a file with stat data {@code key}, finishing with its digest. */
  private record Reading(StatCache.Key key, CompletableFuture<Digest> digest) {}

  private FileDigests(CompletableFuture<StatCache> loading, LongSupplier clock) {
    this.loading = loading;
    this.clock = clock;
  }

  /** The sha256 of a file's content, read once as a stream, without any cache. */
  public static Digest sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      return Digest.sha256(in);
    }
  }

  /** Digests backed by the stat cache in {@code cacheDir} (created on {@link #save}). */
  public static FileDigests withCache(Path cacheDir) {
    return withCache(cacheDir, DEFAULT_GRANULARITY);
  }

  /** As {@link #withCache(Path)}, with the filesystem's timestamp granularity. */
  public static FileDigests withCache(Path cacheDir, Duration granularity) {
    return withCache(cacheDir, granularity, FileDigests::wallClockNanos);
  }

  static FileDigests withCache(Path cacheDir, Duration granularity, LongSupplier clock) {
    Objects.requireNonNull(cacheDir, "cacheDir");
    Path file = cacheDir.resolve(CACHE_FILE).toAbsolutePath().normalize();
    long nanos = granularity.toNanos();
    StatCache kept = kept(file);
    if (kept != null && kept.granularityNanos() == nanos && kept.matchesFile()) {
      return new FileDigests(CompletableFuture.completedFuture(kept), clock);
    }
    // Loaded on a thread of its own while the caller goes on (parsing, walking the context); the
    // first look-up waits for it.
    CompletableFuture<StatCache> loading = CompletableFuture.supplyAsync(() -> keep(StatCache.load(file, nanos)),
        IoTasks.ownThread("gantry-stat-cache"));
    return new FileDigests(loading, clock);
  }

  /**
   * Readies the JVM to hash a whole context when the store has no stat cache yet (a fresh store, as
   * on a CI runner, where every file the build copies is read): 2 MiB hashed here, on the caller's
   * thread, get the JDK's SHA-256 compiled with its SHA-NI/AVX intrinsic. A cold JVM otherwise hashes
   * its first 2-3 MiB of context files in the interpreter, at a tenth of the speed (about 40 ms).
   */
  public static void warmUpIfFresh(Path cacheDir) {
    if (Files.exists(cacheDir.resolve(CACHE_FILE))) {
      return;
    }
    MessageDigest md = Digest.newSha256();
    byte[] block = new byte[64 * 1024];
    for (int i = 0; i < 32; i++) {
      md.update(block);
    }
  }

  /** The cache of {@code file} this JVM loaded last, or null. */
  private static StatCache kept(Path file) {
    synchronized (KEPT) {
      return KEPT.get(file);
    }
  }

  /** Keeps {@code cache} for the next build of this JVM on the same store. */
  private static StatCache keep(StatCache cache) {
    synchronized (KEPT) {
      KEPT.put(cache.file(), cache);
    }
    return cache;
  }

  /**
   * The sha256 of a regular file's content: from the cache when its stat data is unchanged and
   * not racy, otherwise read (and then cached).
   *
   * @throws IOException when the file cannot be read or is not a regular file
   */
  public Digest digest(Path file) throws IOException {
    Path path = file.toAbsolutePath().normalize();
    StatCache.Key before = keyOf(path);
    String name = path.toString();
    var cached = cache().lookup(name, before);
    if (cached.isPresent()) {
      return cached.get();
    }
    Reading mine = new Reading(before, new CompletableFuture<>());
    Reading other = reading.putIfAbsent(name, mine);
    if (other != null) {
      if (other.key().equals(before)) {
        try {
          return other.digest().join();
        } catch (CompletionException e) {
          // that read failed: this one reads for itself and reports its own error
        }
      }
      return read(path, name, before);
    }
    try {
      // a read that ended (and was cached) between the look-up above and this registration
      Digest digest = cache().lookup(name, before).orElse(null);
      if (digest == null) {
        digest = read(path, name, before);
      }
      mine.digest().complete(digest);
      if (cache().lookup(name, before).isPresent()) {
        reading.remove(name, mine); // the cache answers from now on
      }
      return digest;
    } catch (IOException | RuntimeException e) {
      reading.remove(name, mine);
      mine.digest().completeExceptionally(e);
      throw e;
    }
  }

  /** Reads and hashes {@code path}, and caches the digest when the file did not change meanwhile. */
  private Digest read(Path path, String name, StatCache.Key before) throws IOException {
    long hashedAt = clock.getAsLong();
    contentReads.incrementAndGet();
    Digest digest = sha256(path);
    if (keyOf(path).equals(before)) {
      cache().put(name, before, hashedAt, digest);
    }
    return digest;
  }

  /** The cached digest of a regular file entry whose stat data from the walk is unchanged. */
  private Optional<Digest> cached(BuildContext context, ContextEntry entry) {
    if (entry.type() != EntryType.FILE) {
      return Optional.empty();
    }
    // the root is a real path and entry paths are clean: the same name digest(Path) would use
    return cache().lookup(context.root() + "/" + entry.path(), StatCache.Key.of(entry));
  }

  /**
   * The digests of several context file entries, in the order given (see {@link #digest(Path)}):
   * an entry's own stat data from the walk is its cache key, so an unchanged file costs no further
   * system call; the files not in the cache are read in parallel.
   */
  public List<Digest> digestAll(BuildContext context, List<ContextEntry> files) throws IOException {
    Digest[] out = new Digest[files.size()];
    List<Integer> misses = new ArrayList<>();
    for (int i = 0; i < out.length; i++) {
      Optional<Digest> cached = cached(context, files.get(i));
      if (cached.isPresent()) {
        out[i] = cached.get();
      } else {
        misses.add(i);
      }
    }
    try {
      misses.parallelStream().forEach(i -> {
        try {
          out[i] = digest(context.file(files.get(i)));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return Arrays.asList(out);
  }

  /** How many files have had their content read (cache misses) through this instance. */
  public long contentReads() {
    return contentReads.get();
  }

  /** The stat cache behind this instance. */
  public StatCache cache() {
    return loading.join();
  }

  /**
   * Stores the cache (atomically) when anything was hashed since it was loaded; entries of deleted
   * files are dropped first. An unchanged context costs no write and no extra system call.
   */
  public void save() throws IOException {
    StatCache cache = cache();
    if (!cache.isDirty()) {
      return;
    }
    cache.pruneMissing();
    cache.save();
  }

  /**
   * Starts {@link #save} on a thread of its own, so that forcing the cache to disk overlaps the
   * build; {@link #awaitSave} waits for it. Call once, after the last {@link #digest}.
   */
  public synchronized void saveInBackground() {
    saving = CompletableFuture.runAsync(() -> {
      try {
        save();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, IoTasks.ownThread("gantry-stat-cache-save"));
  }

  /** Waits for {@link #saveInBackground} (if it was called) and throws what it failed with. */
  public void awaitSave() throws IOException {
    CompletableFuture<Void> s;
    synchronized (this) {
      s = saving;
    }
    if (s == null) {
      return;
    }
    try {
      s.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof UncheckedIOException io) {
        throw io.getCause();
      }
      throw e;
    }
  }

  private static StatCache.Key keyOf(Path path) throws IOException {
    ContextEntry e = Stat.of(path, path.toString());
    if (e.type() != EntryType.FILE) {
      throw new IOException("not a regular file: " + path);
    }
    return StatCache.Key.of(e);
  }

  private static long wallClockNanos() {
    Instant now = Instant.now();
    return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
  }
}
