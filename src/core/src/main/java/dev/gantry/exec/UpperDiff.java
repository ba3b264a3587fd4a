package dev.gantry.exec;

import dev.gantry.layer.EntryType;
import dev.gantry.layer.LayerEntry;
import dev.gantry.layer.LayerPaths;
import dev.gantry.layer.SafeExtractor;
import dev.gantry.layer.Xattrs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Turns an overlay upper directory into layer entries: a 0/0 character device is a whiteout, a
 * directory with {@code user.overlay.opaque=y} that a lower directory also has is an opaque directory
 * (its entry plus the marker; overlayfs marks every directory made inside a merged one opaque, and
 * the marker means something only where there was something to hide),
 * {@code user.overlay.*} xattrs are dropped, other {@code user.*} xattrs kept, files sharing an inode
 * become hard links to the first of them in layer order. File bytes are read from the upper
 * directory when the layer is written, so it must outlive the entries.
 */
public final class UpperDiff {
  private UpperDiff() {}

  /**
   * What a scan of an upper directory found besides its entries: the paths the layer leaves out
   * (sockets), the {@code user.overlay.*} xattr names (without {@code user.}) overlayfs left on
   * paths that the layer drops, the opaque marker of a directory the layer marks opaque excepted,
   * and the paths that carry xattrs outside the {@code user.} namespace (the layer holds none).
   */
  record Residue(List<String> unlisted, Map<String, List<String>> overlayXattrs, List<String> foreignXattrs) {
    static Residue empty() {
      return new Residue(new ArrayList<>(), new TreeMap<>(), new ArrayList<>());
    }
  }

  /** The entries of {@code upper} over {@code lowers} (the overlay's lower directories), in layer order. */
  public static List<LayerEntry> entries(Path upper, List<Path> lowers) throws IOException {
    return entries(upper, lowers, rel -> true, Residue.empty());
  }

  /**
   * The entries of the paths under {@code dir} that {@code include} accepts (relative names), in
   * layer order; {@code lowers} are the directories below it, where opaque directories must exist;
   * what the layer leaves out is added to {@code residue}.
   */
  static List<LayerEntry> entries(Path dir, List<Path> lowers, java.util.function.Predicate<String> include,
      Residue residue)
      throws IOException {
    TreeMap<String, Path> paths = new TreeMap<>(LayerPaths.ORDER);
    try (Stream<Path> s = Files.walk(dir)) {
      s.filter(p -> !p.equals(dir)).forEach(p -> {
        String rel = dir.relativize(p).toString();
        if (include.test(rel)) {
          paths.put(rel, p);
        }
      });
    }
    List<LayerEntry> out = new ArrayList<>();
    Map<Object, String> inodes = new HashMap<>();
    for (Map.Entry<String, Path> e : paths.entrySet()) {
      String rel = e.getKey();
      Path p = e.getValue();
      Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,rdev,ino,nlink,lastModifiedTime,size",
          LinkOption.NOFOLLOW_LINKS);
      int mode = (Integer) a.get("mode");
      int fmt = mode & 0170000;
      long uid = ((Integer) a.get("uid")) & 0xffffffffL;
      long gid = ((Integer) a.get("gid")) & 0xffffffffL;
      java.time.Instant mtime = ((FileTime) a.get("lastModifiedTime")).toInstant();
      long rdev = (Long) a.get("rdev");
      LayerEntry entry;
      if (fmt == 0020000 && rdev == 0) {
        out.add(LayerEntry.whiteout(rel));
        continue;
      } else if (fmt == 0040000) {
        Map<String, String> x = xattrs(p, rel, residue);
        String marker = x.remove(SafeExtractor.OPAQUE_XATTR);
        boolean opaque = "y".equals(marker) && inLower(lowers, rel);
        if (marker != null && !opaque) {
          // the layer drops it (a new directory hides nothing): recorded as residue with the others
          x.put(SafeExtractor.OPAQUE_XATTR, marker);
        }
        dropOverlayXattrs(rel, x, residue);
        entry = meta(LayerEntry.directory(rel), mode, uid, gid, mtime).withXattrs(x);
        out.add(entry);
        if (opaque) {
          out.add(LayerEntry.opaque(rel));
        }
        continue;
      } else if (fmt == 0120000) {
        entry = meta(LayerEntry.symlink(rel, Files.readSymbolicLink(p).toString()), 0777, uid, gid, mtime);
      } else if (fmt == 0100000) {
        Object ino = a.get("ino");
        int nlink = (Integer) a.get("nlink");
        String first = nlink > 1 ? inodes.putIfAbsent(ino, rel) : null;
        if (first != null) {
          entry = LayerEntry.hardlink(rel, first);
        } else {
          Map<String, String> x = xattrs(p, rel, residue);
          dropOverlayXattrs(rel, x, residue);
          entry = meta(LayerEntry.file(rel, p, (Long) a.get("size")), mode, uid, gid, mtime).withXattrs(x);
        }
      } else if (fmt == 0020000 || fmt == 0060000) {
        EntryType t = fmt == 0020000 ? EntryType.CHAR_DEVICE : EntryType.BLOCK_DEVICE;
        int major = (int) ((rdev >>> 8) & 0xfff) | (int) ((rdev >>> 32) & ~0xfff);
        int minor = (int) (rdev & 0xff) | (int) ((rdev >>> 12) & ~0xff);
        entry = meta(LayerEntry.device(rel, t, major, minor), mode, uid, gid, mtime);
      } else if (fmt == 0010000) {
        entry = meta(LayerEntry.fifo(rel), mode, uid, gid, mtime);
      } else {
        residue.unlisted().add(rel);
        continue;
      }
      out.add(entry);
    }
    return out;
  }

  /** True when some lower directory has a directory at {@code rel}, reached without following symlinks. */
  private static boolean inLower(List<Path> lowers, String rel) {
    for (Path lower : lowers) {
      Path p = RootPaths.withoutLinks(lower, rel);
      if (p != null && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        return true;
      }
    }
    return false;
  }

  private static LayerEntry meta(LayerEntry e, int mode, long uid, long gid, java.time.Instant mtime) {
    return e.withMode(mode & 07777).withOwner(uid, gid).withMtime(mtime);
  }

  /** Removes the {@code user.overlay.*} names from {@code x}, noting them (without {@code user.}) in {@code residue}. */
  private static void dropOverlayXattrs(String rel, Map<String, String> x, Residue residue) {
    List<String> names = new ArrayList<>();
    x.keySet().removeIf(k -> k.startsWith("user.overlay.") && names.add(k.substring("user.".length())));
    if (!names.isEmpty()) {
      residue.overlayXattrs().put(rel, names);
    }
  }

  /**
   * The {@code user.*} xattrs of {@code p}, keyed by full name ({@code user.x}); a path with xattrs
   * of another namespace is noted in {@code residue} under {@code rel}.
   */
  static Map<String, String> xattrs(Path p, String rel, Residue residue) throws IOException {
    Map<String, String> out = new TreeMap<>();
    boolean foreign = false;
    for (Map.Entry<String, byte[]> x : Xattrs.read(p).entrySet()) {
      if (x.getKey().startsWith("user.")) {
        out.put(x.getKey(), new String(x.getValue(), StandardCharsets.UTF_8));
      } else {
        foreign = true;
      }
    }
    if (foreign) {
      residue.foreignXattrs().add(rel);
    }
    return out;
  }
}
