package dev.gantry.layer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One entry of a layer: a clean relative path, its type, permission bits (all 12, including
 * setuid, setgid and sticky), owner ids, modification time, size, link target, extended attributes
 * and, for files, where its bytes come from.
 *
 * <p>This class is immutable. For {@link EntryType#WHITEOUT} the path is the deleted path; for
 * {@link EntryType#OPAQUE_WHITEOUT} it is the opaque directory. {@code linkTarget} is empty unless
 * the entry is a link. Xattr values are UTF-8 text.
 */
public record LayerEntry(String path, EntryType type, int mode, long uid, long gid, Instant mtime,
    long size, String linkTarget, int devMajor, int devMinor, Map<String, String> xattrs,
    Content content) {

  /** Where a file entry's bytes come from; {@link #open()} may be called more than once. */
  public interface Content {
    /** A fresh stream of the bytes. */
    InputStream open() throws IOException;

    /** Content held in memory (the array is not copied; do not change it afterwards). */
    static Content ofBytes(byte[] bytes) {
      Objects.requireNonNull(bytes);
      return () -> new ByteArrayInputStream(bytes);
    }

    /** Content read from a file when the layer is written. */
    static Content ofFile(Path file) {
      Objects.requireNonNull(file);
      return () -> Files.newInputStream(file);
    }
  }

  /** No content (for everything but regular files). */
  public static final Content EMPTY = Content.ofBytes(new byte[0]);

  public LayerEntry {
    Objects.requireNonNull(type, "type");
    path = LayerPaths.clean(Objects.requireNonNull(path, "path"));
    if ((mode & ~07777) != 0) {
      throw new IllegalArgumentException("mode " + Integer.toOctalString(mode)
          + " has bits beyond 07777 for " + path);
    }
    if (uid < 0 || gid < 0) {
      throw new IllegalArgumentException("negative owner id for " + path);
    }
    mtime = mtime == null ? Instant.EPOCH : mtime;
    linkTarget = linkTarget == null ? "" : linkTarget;
    if ((type == EntryType.SYMLINK || type == EntryType.HARDLINK) && linkTarget.isEmpty()) {
      throw new IllegalArgumentException("link " + path + " has no target");
    }
    if (type == EntryType.HARDLINK) {
      linkTarget = LayerPaths.clean(linkTarget);
    }
    if (type != EntryType.FILE) {
      size = 0;
    } else if (size < 0) {
      throw new IllegalArgumentException("negative size for " + path);
    }
    xattrs = xattrs == null || xattrs.isEmpty() ? Collections.emptySortedMap()
        : Collections.unmodifiableSortedMap(new TreeMap<>(xattrs));
    content = content == null ? EMPTY : content;
  }

  /** A file (mode 0644, root-owned) with the given bytes. */
  public static LayerEntry file(String path, byte[] bytes) {
    return new LayerEntry(path, EntryType.FILE, 0644, 0, 0, Instant.EPOCH, bytes.length, "", 0, 0,
        Map.of(), Content.ofBytes(bytes.clone()));
  }

  /** A file (mode 0644, root-owned) whose {@code size} bytes are read from {@code source}. */
  public static LayerEntry file(String path, Path source, long size) {
    return new LayerEntry(path, EntryType.FILE, 0644, 0, 0, Instant.EPOCH, size, "", 0, 0, Map.of(),
        Content.ofFile(source));
  }

  /** A directory (mode 0755, root-owned). */
  public static LayerEntry directory(String path) {
    return of(path, EntryType.DIR, 0755, "");
  }

  /** A symbolic link to {@code target} (mode 0777, root-owned). */
  public static LayerEntry symlink(String path, String target) {
    return of(path, EntryType.SYMLINK, 0777, target);
  }

  /** A hard link to the entry at {@code target} of the same layer. */
  public static LayerEntry hardlink(String path, String target) {
    return of(path, EntryType.HARDLINK, 0644, target);
  }

  /** A whiteout deleting {@code path} from the layers below. */
  public static LayerEntry whiteout(String path) {
    return of(path, EntryType.WHITEOUT, 0, "");
  }

  /** An opaque marker hiding everything the layers below have under the directory {@code dir}. */
  public static LayerEntry opaque(String dir) {
    return of(dir, EntryType.OPAQUE_WHITEOUT, 0, "");
  }

  /** A character or block device (mode 0666, root-owned). */
  public static LayerEntry device(String path, EntryType type, int major, int minor) {
    if (type != EntryType.CHAR_DEVICE && type != EntryType.BLOCK_DEVICE) {
      throw new IllegalArgumentException("not a device type: " + type);
    }
    return new LayerEntry(path, type, 0666, 0, 0, Instant.EPOCH, 0, "", major, minor, Map.of(),
        EMPTY);
  }

  /** A named pipe (mode 0644, root-owned). */
  public static LayerEntry fifo(String path) {
    return of(path, EntryType.FIFO, 0644, "");
  }

  private static LayerEntry of(String path, EntryType type, int mode, String link) {
    return new LayerEntry(path, type, mode, 0, 0, Instant.EPOCH, 0, link, 0, 0, Map.of(), EMPTY);
  }

  /** The name this entry has in a tar stream ({@code .wh.} names for whiteouts, {@code /} for dirs). */
  public String tarName() {
    return switch (type) {
      case WHITEOUT -> join(LayerPaths.parent(path), LayerPaths.WHITEOUT_PREFIX
          + LayerPaths.name(path));
      case OPAQUE_WHITEOUT -> path + "/" + LayerPaths.OPAQUE_MARKER;
      case DIR -> path + "/";
      default -> path;
    };
  }

  /** A copy at another path. */
  public LayerEntry withPath(String p) {
    return new LayerEntry(p, type, mode, uid, gid, mtime, size, linkTarget, devMajor, devMinor,
        xattrs, content);
  }

  /** A copy with these permission bits (07777 at most). */
  public LayerEntry withMode(int m) {
    return new LayerEntry(path, type, m, uid, gid, mtime, size, linkTarget, devMajor, devMinor,
        xattrs, content);
  }

  /** A copy owned by {@code newUid:newGid}. */
  public LayerEntry withOwner(long newUid, long newGid) {
    return new LayerEntry(path, type, mode, newUid, newGid, mtime, size, linkTarget, devMajor,
        devMinor, xattrs, content);
  }

  /** A copy with this modification time. */
  public LayerEntry withMtime(Instant t) {
    return new LayerEntry(path, type, mode, uid, gid, t, size, linkTarget, devMajor, devMinor,
        xattrs, content);
  }

  /** A copy whose bytes come from {@code c}. */
  public LayerEntry withContent(Content c) {
    return new LayerEntry(path, type, mode, uid, gid, mtime, size, linkTarget, devMajor, devMinor, xattrs, c);
  }

  /** A copy with these extended attributes. */
  public LayerEntry withXattrs(Map<String, String> x) {
    return new LayerEntry(path, type, mode, uid, gid, mtime, size, linkTarget, devMajor, devMinor,
        x, content);
  }

  /** A copy with this link target. */
  public LayerEntry withLinkTarget(String target) {
    return new LayerEntry(path, type, mode, uid, gid, mtime, size, target, devMajor, devMinor,
        xattrs, content);
  }

  private static String join(String parent, String name) {
    return parent.isEmpty() ? name : parent + "/" + name;
  }
}
