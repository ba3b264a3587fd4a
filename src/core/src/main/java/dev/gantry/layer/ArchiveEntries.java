package dev.gantry.layer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Reads a (possibly compressed) tar into {@link LayerEntry}s placed under a destination path, for
 * ADD of a local archive, with the same confinement rules as {@link SafeExtractor}.
 *
 * <p>Names climbing above the archive root are refused, absolute names are taken as relative to it
 * (as {@code ADD} does), an entry under a symlink of the same archive is refused (it would be
 * written through the link), hard links must name an earlier non-directory entry and are rewritten
 * under the destination, devices and FIFOs are skipped unless allowed. Whiteout names are kept as
 * plain files (the caller decides what they mean). File bytes are kept in memory, or in files under a spool directory when one is given.
 */
public final class ArchiveEntries {
  /** Gives a file entry its content without the reader keeping the bytes. */
  @FunctionalInterface
  public interface ContentSource {
    /** The content of the file entry at {@code path} (its final path) of {@code size} bytes. */
    LayerEntry.Content content(String path, long size);
  }

  /** The largest file {@link #keepBytes} keeps in memory. */
  public static final long MAX_KEPT_BYTES = 1 << 20;
  private final boolean allowDevices;
  private final Path spool;
  private final ContentSource contents;
  private final Set<String> inMemory;

  private ArchiveEntries(boolean allowDevices, Path spool, ContentSource contents, Set<String> inMemory) {
    this.allowDevices = allowDevices;
    this.spool = spool;
    this.contents = contents;
    this.inMemory = inMemory;
  }

  /** A reader that skips devices and keeps file bytes in memory. */
  public static ArchiveEntries create() {
    return new ArchiveEntries(false, null, null, Set.of());
  }

  /** A copy that keeps device and FIFO entries. */
  public ArchiveEntries allowDevices(boolean on) {
    return new ArchiveEntries(on, spool, contents, inMemory);
  }

  /** A copy that writes file bytes to new files under {@code dir} (the caller deletes them). */
  public ArchiveEntries spoolTo(Path dir) {
    return new ArchiveEntries(allowDevices, dir, null, inMemory);
  }

  /**
   * A copy that reads metadata only: file bytes are skipped and each file's content comes from
   * {@code source} (which may, say, extract the archive when a content is first opened).
   */
  public ArchiveEntries contentFrom(ContentSource source) {
    return new ArchiveEntries(allowDevices, null, java.util.Objects.requireNonNull(source), inMemory);
  }

  /**
   * A copy that keeps the bytes of the files at {@code paths} (final paths) in memory when they
   * have at most {@link #MAX_KEPT_BYTES}, whatever the other files get.
   */
  public ArchiveEntries keepBytes(Set<String> paths) {
    return new ArchiveEntries(allowDevices, spool, contents, Set.copyOf(paths));
  }

  /**
   * The entries of {@code archive} placed under {@code destination} (a path inside the image, such
   * as {@code /usr/src}); a later entry for the same path replaces an earlier one.
   */
  public List<LayerEntry> read(InputStream archive, String destination) throws IOException {
    String dest = LayerPaths.resolveLexically(destination);
    if (dest == null) {
      throw new IllegalArgumentException("destination \"" + destination + "\" leaves the root");
    }
    Map<String, LayerEntry> out = new TreeMap<>(LayerPaths.ORDER);
    TreeMap<String, EntryType> seen = new TreeMap<>();
    try (ByteNameTarInput tar = new ByteNameTarInput(Archives.open(archive))) {
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        String name = tar.name(e);
        String raw = text(name, "name", name);
        String rel = text(EntryNames.check(name, true), "name", name);
        if (rel.isEmpty()) {
          continue;
        }
        for (String p = LayerPaths.parent(rel); !p.isEmpty(); p = LayerPaths.parent(p)) {
          EntryType t = seen.get(p);
          if (t == EntryType.DIR) {
            break; // a directory still listed had only directories above it when it was read
          }
          if (t != null) {
            throw new UnsafeArchiveException(raw, "it lies under " + p + ", which is a " + t);
          }
        }
        LayerEntry le = toEntry(tar, e, raw, rel, dest, seen, text(tar.linkName(e), "link target", name));
        if (le == null) {
          continue;
        }
        if (le.type() != EntryType.DIR) {
          seen.subMap(rel + "/", true, rel + "/\uffff", true).clear();
        }
        seen.put(rel, le.type());
        out.remove(le.path());
        out.put(le.path(), le);
      }
    }
    return List.copyOf(new ArrayList<>(out.values()));
  }

  private LayerEntry toEntry(InputStream data, TarArchiveEntry e, String raw, String rel,
      String dest, Map<String, EntryType> seen, String linkName) throws IOException {
    String path = under(dest, rel);
    int mode = e.getMode() & 07777;
    LayerEntry base;
    if (e.isDirectory()) {
      base = LayerEntry.directory(path);
    } else if (e.isSymbolicLink()) {
      base = LayerEntry.symlink(path, linkName);
    } else if (e.isLink()) {
      String target = text(EntryNames.check(ByteNameTarInput.bytesOf(linkName), true), "link target", raw);
      EntryType t = seen.get(target);
      if (target.isEmpty() || t == null || t == EntryType.DIR) {
        throw new UnsafeArchiveException(raw, "hard link target \"" + linkName
            + "\" is not an earlier file of the archive");
      }
      base = LayerEntry.hardlink(path, under(dest, target));
    } else if (e.isCharacterDevice() || e.isBlockDevice()) {
      if (!allowDevices) {
        return null;
      }
      base = LayerEntry.device(path, e.isCharacterDevice() ? EntryType.CHAR_DEVICE
          : EntryType.BLOCK_DEVICE, e.getDevMajor(), e.getDevMinor());
    } else if (e.isFIFO()) {
      if (!allowDevices) {
        return null;
      }
      base = LayerEntry.fifo(path);
    } else if (e.isFile()) {
      boolean keep = e.getSize() <= MAX_KEPT_BYTES && inMemory.contains(path);
      if (contents != null && !keep) {
        base = new LayerEntry(path, EntryType.FILE, 0644, 0, 0, null, e.getSize(), "", 0, 0, null,
            contents.content(path, e.getSize()));
      } else if (spool != null && !keep) {
        Files.createDirectories(spool);
        Path f = Files.createTempFile(spool, "add-", ".bin");
        Files.copy(data, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        base = LayerEntry.file(path, f, Files.size(f));
      } else {
        base = LayerEntry.file(path, data.readAllBytes());
      }
    } else {
      return null;
    }
    Map<String, String> xattrs = e.getExtraPaxHeaders().isEmpty() ? Map.of() : new TreeMap<>();
    e.getExtraPaxHeaders().forEach((k, v) -> {
      if (k.startsWith("SCHILY.xattr.")) {
        xattrs.put(k.substring("SCHILY.xattr.".length()), v);
      }
    });
    return new LayerEntry(base.path(), base.type(), base.type() == EntryType.SYMLINK ? 0777 : mode, e.getLongUserId(),
        e.getLongGroupId(), e.getLastModifiedTime().toInstant(), base.size(), base.linkTarget(), base.devMajor(),
        base.devMinor(), xattrs, base.content());
  }

  /**
   * A byte string of the archive as text; a layer entry's names are text, so one that is not UTF-8
   * is refused (two such names would otherwise become one).
   */
  private static String text(String byteString, String what, String entry) throws UnsafeArchiveException {
    String t = ByteNameTarInput.utf8(byteString);
    if (t == null) {
      throw new UnsafeArchiveException(ByteNameTarInput.display(entry), "the " + what
          + " is not valid UTF-8; rename it in the archive (names are kept as text in a layer)");
    }
    return t;
  }

  private static String under(String dest, String rel) {
    return dest.isEmpty() ? rel : dest + "/" + rel;
  }
}
