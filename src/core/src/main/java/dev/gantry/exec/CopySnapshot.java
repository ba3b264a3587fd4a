package dev.gantry.exec;

import dev.gantry.layer.LayerEntry;
import dev.gantry.layer.LayerPaths;
import dev.gantry.layer.SpecialFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The snapshotter for hosts where overlayfs cannot be mounted: the unpacked layers are copied into
 * one root directory (overlay whiteouts and opaque directories applied), its metadata recorded, and
 * after the command a tree diff gives the layer: new or changed paths (type, mode, owner, size,
 * mtime, ctime, link target) as entries and vanished paths as whiteouts. Deleting and recreating a
 * directory yields whiteouts for its old children instead of an opaque marker: the same filesystem.
 * FIFOs and devices are never opened, neither when copied nor when compared.
 */
final class CopySnapshot {
  private final Path root;
  private final Map<String, String> before;

  private CopySnapshot(Path root, Map<String, String> before) {
    this.root = root;
    this.before = before;
  }

  /** Copies {@code lowers} (bottom first) into {@code work/rootfs} and records its state. */
  static CopySnapshot create(List<Path> lowers, Path work) throws IOException {
    Path root = Files.createDirectories(work.resolve("rootfs"));
    Files.setAttribute(root, "unix:mode", 0755);
    for (Path lower : lowers) {
      apply(lower, root);
    }
    return new CopySnapshot(root, state(root));
  }

  Path root() {
    return root;
  }

  /** The layer entries of what changed since {@link #create}. */
  List<LayerEntry> entries() throws IOException {
    Map<String, String> after = state(root);
    List<LayerEntry> out = new ArrayList<>(UpperDiff.entries(root, List.of(),
        rel -> !after.get(rel).equals(before.get(rel)), UpperDiff.Residue.empty()));
    for (String gone : before.keySet()) {
      String parent = LayerPaths.parent(gone);
      if (!after.containsKey(gone) && (parent.isEmpty() || after.containsKey(parent))) {
        out.add(LayerEntry.whiteout(gone));
      }
    }
    return out;
  }

  private static Map<String, String> state(Path root) throws IOException {
    Map<String, String> out = new HashMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.toList()) {
        if (p.equals(root)) {
          continue;
        }
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,lastModifiedTime,ctime,rdev",
            LinkOption.NOFOLLOW_LINKS);
        String link = Files.isSymbolicLink(p) ? Files.readSymbolicLink(p).toString() : "";
        out.put(root.relativize(p).toString(), a.get("mode") + " " + a.get("uid") + ":" + a.get("gid") + " "
            + a.get("size") + " " + a.get("lastModifiedTime") + " " + a.get("ctime") + " " + a.get("rdev") + " " + link);
      }
    }
    return out;
  }

  /** Applies one unpacked layer directory (overlay form) onto {@code root}. */
  private static void apply(Path lower, Path root) throws IOException {
    Map<Path, Map<String, Object>> dirs = new LinkedHashMap<>();
    List<Path> all;
    try (Stream<Path> s = Files.walk(lower)) {
      all = s.filter(p -> !p.equals(lower)).toList();
    }
    for (Path src : all) {
      Path dst = root.resolve(lower.relativize(src).toString());
      if (!Files.exists(src.getParent(), LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      Map<String, Object> a = Files.readAttributes(src, "unix:mode,uid,gid,rdev,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
      int fmt = (Integer) a.get("mode") & 0170000;
      if (fmt == 0020000 && (Long) a.get("rdev") == 0) {
        Trees.delete(dst);
        continue;
      }
      if (fmt == 0040000) {
        if (!Files.isDirectory(dst, LinkOption.NOFOLLOW_LINKS)) {
          Trees.delete(dst);
          Files.createDirectory(dst);
        } else if (isOpaque(src)) {
          try (Stream<Path> c = Files.list(dst)) {
            for (Path child : c.toList()) {
              Trees.delete(child);
            }
          }
        }
        dirs.put(dst, a);
        continue;
      }
      Trees.delete(dst);
      if (fmt == 0120000) {
        Files.createSymbolicLink(dst, Files.readSymbolicLink(src));
      } else if (fmt == 0100000) {
        Files.copy(src, dst, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
      } else {
        SpecialFiles.create(dst, (Integer) a.get("mode"), (Long) a.get("rdev"), (Integer) a.get("uid"),
            (Integer) a.get("gid"), ((FileTime) a.get("lastModifiedTime")).toInstant());
        continue;
      }
      attributes(dst, a, fmt == 0120000);
    }
    for (Map.Entry<Path, Map<String, Object>> d : dirs.entrySet()) {
      attributes(d.getKey(), d.getValue(), false);
    }
  }

  private static void attributes(Path p, Map<String, Object> a, boolean symlink) throws IOException {
    Files.setAttribute(p, "unix:uid", a.get("uid"), LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(p, "unix:gid", a.get("gid"), LinkOption.NOFOLLOW_LINKS);
    if (!symlink) {
      Files.setAttribute(p, "unix:mode", (Integer) a.get("mode") & 07777, LinkOption.NOFOLLOW_LINKS);
      Files.setLastModifiedTime(p, (FileTime) a.get("lastModifiedTime"));
    }
  }

  private static boolean isOpaque(Path dir) throws IOException {
    UserDefinedFileAttributeView v = Files.getFileAttributeView(dir, UserDefinedFileAttributeView.class,
        LinkOption.NOFOLLOW_LINKS);
    if (v == null || !v.list().contains(RootfsCache.OPAQUE_XATTR)) {
      return false;
    }
    ByteBuffer b = ByteBuffer.allocate(v.size(RootfsCache.OPAQUE_XATTR));
    v.read(RootfsCache.OPAQUE_XATTR, b);
    return b.position() == 1 && b.get(0) == 'y';
  }
}
