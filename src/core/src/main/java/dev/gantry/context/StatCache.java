package dev.gantry.context;

import dev.gantry.oci.Digest;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A persistent map from a file's stat data (path, size, mtime, ctime, device and inode) to its
 * content digest, so that an unchanged file is not read again.
 *
 * <p>Racy timestamps: each entry records when its content was read. An entry is only trusted when
 * the file's mtime and ctime are older than that moment by at least the filesystem's timestamp
 * granularity; otherwise the file could have changed again within the same clock tick without
 * changing its stat data, so it is hashed again. The granularity given is for filesystems that keep
 * whole seconds (or coarser); a file whose ctime has a sub-second part lives on one that keeps
 * finer timestamps (the kernel's clock tick, a few milliseconds), so {@link #FINE_GRANULARITY_NANOS}
 * is enough for it. ctime is set by the kernel alone: tools that restore whole-second mtimes
 * (archive extraction, {@code touch -d}) cannot make it look fine.
 *
 * <p>Saving writes a temporary file in the same directory, forces it to disk and renames it over
 * the old one, so readers and concurrent writers (threads or processes) only ever see a complete
 * file; the last writer wins. A missing, foreign or damaged file loads as an empty cache.
 *
 * <p>This class is thread-safe.
 */
public final class StatCache {
  private static final int MAGIC = 0x47535443; // "GSTC"
  private static final int VERSION = 1;
  /** The granularity used for files with sub-second ctimes: many clock ticks, with margin. */
  public static final long FINE_GRANULARITY_NANOS = 100_000_000L;

  /** The stat data a cached digest is valid for. */
  public record Key(long size, long mtimeNanos, long ctimeNanos, FileId fileId) {
    /** The key of a context entry. */
    public static Key of(ContextEntry e) {
      return new Key(e.size(), e.mtimeNanos(), e.ctimeNanos(), e.fileId());
    }

    // Written out rather than generated (no invokedynamic bootstrap at start-up; see FileId).
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.size == size && k.mtimeNanos == mtimeNanos
          && k.ctimeNanos == ctimeNanos && k.fileId.equals(fileId);
    }

    @Override
    public int hashCode() {
      return ((Long.hashCode(size) * 31 + Long.hashCode(mtimeNanos)) * 31 + Long.hashCode(ctimeNanos)) * 31
          + fileId.hashCode();
    }
  }

  private record Entry(Key key, long hashedAtNanos, Digest digest) {}

  private final Path file;
  private final long granularityNanos;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private volatile boolean dirty;
  /** The stat data of {@link #file} as this cache last read or wrote it (null: there was none). */
  private volatile Key onDisk;

  private StatCache(Path file, long granularityNanos) {
    this.file = file;
    this.granularityNanos = granularityNanos;
  }

  /**
   * Loads the cache stored in {@code file} (empty when it is missing or unreadable).
   *
   * @param granularityNanos the filesystem timestamp granularity used for the racy check
   */
  public static StatCache load(Path file, long granularityNanos) {
    StatCache cache = new StatCache(file, granularityNanos);
    cache.onDisk = statOf(file);
    try {
      // one read and a buffer: a large context's cache is read on every build
      ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(file));
      if (in.getInt() != MAGIC || in.getInt() != VERSION) {
        return cache;
      }
      int count = in.getInt();
      for (int i = 0; i < count; i++) {
        String path = readString(in);
        Key key = new Key(in.getLong(), in.getLong(), in.getLong(),
            new FileId(in.getLong(), in.getLong()));
        long hashedAt = in.getLong();
        Digest digest = Digest.parse(readString(in));
        cache.entries.put(path, new Entry(key, hashedAt, digest));
      }
    } catch (IOException | RuntimeException e) {
      cache.entries.clear();
    }
    return cache;
  }

  /**
   * True when this cache is what its file holds: nothing added since it was loaded or saved, and
   * the file's stat data (size, times, inode) unchanged since then, so no other writer replaced it.
   */
  public boolean matchesFile() {
    Key now = statOf(file);
    return !dirty && now != null && now.equals(onDisk);
  }

  /** The granularity this cache's racy check uses. */
  public long granularityNanos() {
    return granularityNanos;
  }

  private static Key statOf(Path file) {
    try {
      return Key.of(Stat.of(file, file.toString()));
    } catch (IOException e) {
      return null;
    }
  }

  /** The file this cache is stored in. */
  public Path file() {
    return file;
  }

  /** Number of entries. */
  public int size() {
    return entries.size();
  }

  /**
   * The digest recorded for {@code path} when its stat data is still {@code key} and the entry is
   * not racy.
   */
  public Optional<Digest> lookup(String path, Key key) {
    Entry e = entries.get(path);
    if (e == null || !e.key.equals(key)) {
      return Optional.empty();
    }
    long changed = Math.max(key.mtimeNanos(), key.ctimeNanos());
    long granularity = key.ctimeNanos() % 1_000_000_000L != 0
        ? Math.min(granularityNanos, FINE_GRANULARITY_NANOS) : granularityNanos;
    if (e.hashedAtNanos - changed < granularity) {
      return Optional.empty();
    }
    return Optional.of(e.digest);
  }

  /**
   * Records that {@code path}, with stat data {@code key}, had content {@code digest} when read
   * at {@code hashedAtNanos} (wall clock, taken before the read started).
   */
  public void put(String path, Key key, long hashedAtNanos, Digest digest) {
    entries.put(path, new Entry(key, hashedAtNanos, digest));
    dirty = true;
  }

  /** True when entries were added or dropped since the cache was loaded or last saved. */
  public boolean isDirty() {
    return dirty;
  }

  /** Drops the entries whose files no longer exist. */
  public void pruneMissing() {
    if (entries.keySet().removeIf(p -> !Files.exists(Path.of(p), LinkOption.NOFOLLOW_LINKS))) {
      dirty = true;
    }
  }

  /** Writes the cache if anything changed since it was loaded or last saved. */
  public synchronized void save() throws IOException {
    if (!dirty) {
      return;
    }
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
          OutputStream raw = Channels.newOutputStream(channel);
          DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw))) {
        Map<String, Entry> snapshot = Map.copyOf(entries);
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(snapshot.size());
        for (Map.Entry<String, Entry> e : snapshot.entrySet()) {
          Key k = e.getValue().key;
          writeString(out, e.getKey());
          out.writeLong(k.size());
          out.writeLong(k.mtimeNanos());
          out.writeLong(k.ctimeNanos());
          out.writeLong(k.fileId().device());
          out.writeLong(k.fileId().inode());
          out.writeLong(e.getValue().hashedAtNanos);
          writeString(out, e.getValue().digest.toString());
        }
        out.flush();
        channel.force(true);
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      dirty = false;
      onDisk = statOf(file);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String readString(ByteBuffer in) {
    int n = in.getInt();
    if (n < 0 || n > in.remaining()) {
      throw new IllegalArgumentException("corrupt stat cache");
    }
    String s = new String(in.array(), in.position(), n, StandardCharsets.UTF_8);
    in.position(in.position() + n);
    return s;
  }
}
