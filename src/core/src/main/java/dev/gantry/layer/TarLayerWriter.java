package dev.gantry.layer;

import dev.gantry.oci.Compression;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes layer entries as a reproducible tar layer and computes its digests in the same pass.
 *
 * <p>The same entries give the same bytes whatever their order, their times after the epoch (unless
 * {@link #keepingTimes()}) or the process umask: entries are sorted ({@link LayerPaths#ORDER});
 * missing parent directories are added (mode 0755, owner 0:0, the epoch as time); times are
 * truncated to whole seconds and clamped to {@code SOURCE_DATE_EPOCH}; owner names are empty; long
 * names, large ids and sizes, and xattrs go into PAX headers. Whiteouts are written as {@code .wh.<name>}, opaque directories as
 * {@code <dir>/.wh..wh..opq}. This class is immutable and thread-safe.
 */
public final class TarLayerWriter {
  private final Instant epoch;
  private final Compression compression;
  private final boolean clamp;

  private TarLayerWriter(Instant epoch, Compression compression, boolean clamp) {
    this.epoch = epoch.truncatedTo(ChronoUnit.SECONDS);
    this.compression = compression;
    this.clamp = clamp;
  }

  /** A writer with SOURCE_DATE_EPOCH 0 and gzip compression. */
  public static TarLayerWriter create() {
    return new TarLayerWriter(Instant.EPOCH, Compression.GZIP, true);
  }

  /** A copy that clamps entry times to {@code sourceDateEpoch}. */
  public TarLayerWriter withSourceDateEpoch(Instant sourceDateEpoch) {
    return new TarLayerWriter(Objects.requireNonNull(sourceDateEpoch), compression, clamp);
  }

  /** A copy that compresses with {@code c}. */
  public TarLayerWriter withCompression(Compression c) {
    return new TarLayerWriter(epoch, Objects.requireNonNull(c), clamp);
  }

  /**
   * A copy that writes entry times as given (truncated to whole seconds) instead of clamping them;
   * the epoch is then only the time of the parent directories the writer adds.
   */
  public TarLayerWriter keepingTimes() {
    return new TarLayerWriter(epoch, compression, false);
  }

  /** The compression this writer uses. */
  public Compression compression() {
    return compression;
  }

  /**
   * Writes {@code entries} as a compressed tar to {@code out} (flushed, not closed) and returns the
   * diffID and blob digest computed while writing. Throws {@link IllegalArgumentException} when two
   * entries have the same path, when a parent is not a directory, or a hardlink names no file of
   * the layer (a hard link may name a file that sorts after it: the names are swapped so the first
   * in layer order holds the file).
   */
  public WrittenLayer write(Collection<LayerEntry> entries, OutputStream out) throws IOException {
    return write(entries, out, planned -> { });
  }

  /**
   * Like {@link #write(Collection, OutputStream)}, handing {@code planned} the entries as written
   * ({@link #planned}) before writing them, so a caller that needs both plans once.
   */
  public WrittenLayer write(Collection<LayerEntry> entries, OutputStream out,
      Consumer<List<LayerEntry>> planned) throws IOException {
    Map<String, LayerEntry> sorted = plan(entries);
    planned.accept(List.copyOf(sorted.values()));
    HashingOutputStream blob = new HashingOutputStream(out, false);
    OutputStream compressed = switch (compression) {
      case NONE -> blob;
      // Deflate runs on the pool of ParallelGzipOutputStream; hashing and writing the blob on a thread of its own.
      case GZIP -> compress(compression, new AsyncOutputStream(blob));
      case ZSTD -> new AsyncOutputStream(compress(compression, blob));
    };
    HashingOutputStream tarBytes = new HashingOutputStream(compressed, true);
    try (OutputStream closing = tarBytes) {
      writeTar(sorted.values(), closing);
    }
    return new WrittenLayer(tarBytes.digest(), tarBytes.count(), blob.digest(), blob.count(),
        compression);
  }

  /** Writes {@code planned} entries ({@link #plan}) as a tar archive to {@code out}, flushed, not closed. */
  static void writeTar(Collection<LayerEntry> planned, OutputStream out) throws IOException {
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8");
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setAddPaxHeadersForNonAsciiNames(true);
    for (LayerEntry e : planned) {
      writeEntry(tar, e);
    }
    tar.finish(); // ends the archive on a record boundary: nothing is left in the tar stream's buffer
    out.flush(); // the tar stream does not flush its target
  }

  /**
   * The uncompressed tar {@link #write} writes for {@code entries} (whatever this writer's
   * compression), as a stream that a thread of its own writes while it is read: file contents are
   * read as the tar is, never held whole. A failure to write (an unreadable file) is thrown at the end
   * of the stream; closing the stream early stops the writer.
   */
  public InputStream open(Collection<LayerEntry> entries) throws IOException {
    return PipedTar.start(plan(entries).values());
  }

  /**
   * Wraps {@code out} in the compressor of {@code c} (see {@link Compression}: gzip level 6 on all
   * cores, zstd level 3 on one thread without checksum); closing the result finishes the stream and
   * closes {@code out}.
   */
  static OutputStream compress(Compression c, OutputStream out) throws IOException {
    switch (c) {
      case GZIP:
        return new ParallelGzipOutputStream(out, 6);
      case ZSTD:
        return ZstdSupport.compress(out);
      default:
        return out;
    }
  }

  /** Writes the layer blob to {@code file} atomically (temporary file, then rename). */
  public WrittenLayer write(Collection<LayerEntry> entries, Path file) throws IOException {
    Path abs = file.toAbsolutePath();
    Files.createDirectories(abs.getParent());
    Path tmp = Files.createTempFile(abs.getParent(), ".tmp-", ".layer");
    try {
      WrittenLayer w;
      try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
        w = write(entries, o);
      }
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return w;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * The entries {@link #write} writes for {@code entries}, in write order: missing parents added,
   * times truncated (and clamped).
   */
  public List<LayerEntry> planned(Collection<LayerEntry> entries) {
    return List.copyOf(plan(entries).values());
  }

  /** The entries in write order, keyed by path, with missing parents added and times truncated (and clamped). */
  Map<String, LayerEntry> plan(Collection<LayerEntry> entries) {
    Map<String, LayerEntry> byPath = new TreeMap<>(LayerPaths.ORDER);
    for (LayerEntry e : entries) {
      LayerEntry clamped = e.withMtime(clamp(e.mtime()));
      if (byPath.putIfAbsent(e.tarName(), clamped) != null) {
        throw new IllegalArgumentException("two layer entries for " + e.tarName());
      }
    }
    for (LayerEntry e : entries) {
      String first = e.type() == EntryType.OPAQUE_WHITEOUT ? e.path() : LayerPaths.parent(e.path());
      for (String p = first; !p.isEmpty(); p = LayerPaths.parent(p)) {
        LayerEntry existing = byPath.get(p);
        if (existing != null && existing.type() != EntryType.DIR) {
          throw new IllegalArgumentException("parent " + p + " of " + e.path() + " is a "
              + existing.type() + ", not a directory");
        }
        if (byPath.putIfAbsent(p + "/", LayerEntry.directory(p).withMtime(epoch)) != null) {
          break; // its own parents were checked when it was planned
        }
      }
    }
    orderHardlinks(byPath);
    return byPath;
  }

  /**
   * Makes every group of names of one file valid in layer order: the name that comes first holds
   * the file (content and metadata), the others are hard links to it (as BuildKit's differ writes
   * them), whatever name the entries gave as the link target. Throws when a link names no file.
   */
  private static void orderHardlinks(Map<String, LayerEntry> byPath) {
    Map<String, java.util.List<String>> groups = new TreeMap<>(LayerPaths.ORDER);
    for (LayerEntry e : byPath.values()) {
      if (e.type() != EntryType.HARDLINK) {
        continue;
      }
      String file = e.linkTarget();
      for (int hops = 0; ; hops++) {
        LayerEntry target = byPath.get(file);
        if (target == null || target.type() == EntryType.DIR || hops > byPath.size()) {
          throw new IllegalArgumentException("hardlink " + e.path() + " -> " + e.linkTarget()
              + " names no file of the layer");
        }
        if (target.type() != EntryType.HARDLINK) {
          break;
        }
        file = target.linkTarget();
      }
      groups.computeIfAbsent(file, k -> new java.util.ArrayList<>()).add(e.path());
    }
    groups.forEach((file, links) -> {
      String first = file;
      for (String l : links) {
        first = LayerPaths.ORDER.compare(l, first) < 0 ? l : first;
      }
      if (!first.equals(file)) {
        LayerEntry held = byPath.get(file);
        byPath.put(first, held.withPath(first));
        byPath.put(file, LayerEntry.hardlink(file, first).withMode(held.mode())
            .withOwner(held.uid(), held.gid()).withMtime(held.mtime()));
      }
      for (String l : links) {
        if (!l.equals(first)) {
          byPath.put(l, byPath.get(l).withLinkTarget(first));
        }
      }
    });
  }

  /** The time an entry with modification time {@code t} has in the layers this writer writes. */
  public Instant entryTime(Instant t) {
    return clamp(t);
  }

  private Instant clamp(Instant t) {
    Instant s = t.truncatedTo(ChronoUnit.SECONDS);
    return clamp && s.isAfter(epoch) ? epoch : s;
  }

  private static void writeEntry(TarArchiveOutputStream tar, LayerEntry e) throws IOException {
    boolean ownPax = LongNames.applies(e);
    if (ownPax) {
      LongNames.writeHeader(tar, e);
    }
    TarArchiveEntry te = new TarArchiveEntry(ownPax ? LongNames.ustar(e.tarName()) : e.tarName(), flag(e.type()), true);
    te.setMode(typeBits(e.type()) | e.mode());
    te.setIds(0, 0);
    te.setUserId(e.uid());
    te.setGroupId(e.gid());
    te.setNames("", "");
    te.setModTime(FileTime.from(e.mtime()));
    if (e.type() == EntryType.SYMLINK || e.type() == EntryType.HARDLINK) {
      te.setLinkName(ownPax ? LongNames.ustar(e.linkTarget()) : e.linkTarget());
    }
    if (e.type() == EntryType.CHAR_DEVICE || e.type() == EntryType.BLOCK_DEVICE) {
      te.setDevMajor(e.devMajor());
      te.setDevMinor(e.devMinor());
    }
    if (!ownPax) {
      e.xattrs().forEach((k, v) -> te.addPaxHeader("SCHILY.xattr." + k, v));
    }
    te.setSize(e.type() == EntryType.FILE ? e.size() : 0);
    tar.putArchiveEntry(te);
    if (e.type() == EntryType.FILE) {
      long n;
      try (InputStream in = e.content().open()) {
        n = in.transferTo(new BoundedOutputStream(tar, e.size(), e.path()));
      }
      if (n != e.size()) {
        throw new IOException("content of " + e.path() + " has " + n + " bytes, expected "
            + e.size());
      }
    }
    tar.closeArchiveEntry();
  }

  private static byte flag(EntryType t) {
    return switch (t) {
      case DIR -> TarArchiveEntry.LF_DIR;
      case SYMLINK -> TarArchiveEntry.LF_SYMLINK;
      case HARDLINK -> TarArchiveEntry.LF_LINK;
      case CHAR_DEVICE -> TarArchiveEntry.LF_CHR;
      case BLOCK_DEVICE -> TarArchiveEntry.LF_BLK;
      case FIFO -> TarArchiveEntry.LF_FIFO;
      default -> TarArchiveEntry.LF_NORMAL;
    };
  }

  private static int typeBits(EntryType t) {
    return switch (t) {
      case DIR -> 0040000;
      case SYMLINK -> 0120000;
      case CHAR_DEVICE -> 0020000;
      case BLOCK_DEVICE -> 0060000;
      case FIFO -> 0010000;
      default -> 0100000;
    };
  }

  /** Refuses to write more than the declared size of an entry. */
  private static final class BoundedOutputStream extends OutputStream {
    private final OutputStream out;
    private final String path;
    private long left;

    BoundedOutputStream(OutputStream out, long size, String path) {
      this.out = out;
      this.left = size;
      this.path = path;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len > left) {
        throw new IOException("content of " + path + " is longer than its declared size");
      }
      out.write(b, off, len);
      left -= len;
    }
  }
}
