package dev.gantry.layer;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * One run of a {@link SafeExtractor}: entries are written through directory handles of the root
 * ({@link RootedDirs}); paths are byte strings (see {@link ByteNameTarInput}), and real paths
 * (relative to the root, no symlinks) say what this layer wrote.
 */
final class Extraction implements AutoCloseable {
  private static final String XATTR_PREFIX = "SCHILY.xattr.";

  private final SafeExtractor x;
  private final RootedDirs dirs;
  /** Directory metadata to apply at the end, by real path. */
  private final Map<String, DirHandle.Meta> dirMeta = new LinkedHashMap<>();
  /** Real paths this layer wrote, with all their parents. */
  private final Set<String> touched = new HashSet<>();
  /** Overlay whiteout devices this layer made (real paths). */
  private final Set<String> whitedOut = new HashSet<>();
  private final List<String> skipped = new ArrayList<>();
  private int written;

  Extraction(SafeExtractor x, DirHandle root) {
    this.x = x;
    this.dirs = new RootedDirs(root);
  }

  int written() {
    return written;
  }

  List<String> skipped() {
    return skipped;
  }

  void entry(InputStream data, TarArchiveEntry e, String raw, String rawLink) throws IOException {
    String rel = EntryNames.check(raw, x.confineAbsolute);
    if (rel.isEmpty()) {
      if (e.isDirectory()) {
        dirMeta.put("", meta(e));
      }
      return;
    }
    String name = LayerPaths.name(rel);
    String victim = EntryNames.whiteoutVictim(raw, name);
    boolean special = e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO();
    if (special && !x.allowDevices) {
      skipped.add(ByteNameTarInput.display(raw));
      return;
    }
    RootedDirs.Dir parent = parent(LayerPaths.parent(rel), raw);
    try {
      if (victim != null && x.whiteouts != SafeExtractor.Whiteouts.KEEP) {
        whiteout(parent, victim);
        return;
      }
      String target = parent.child(name);
      int type = parent.handle.type(name);
      boolean wasWhiteout = whitedOut.remove(target);
      if (e.isDirectory()) {
        if (type != Posix.S_IFDIR) {
          remove(parent, name, type);
          parent.handle.mkdir(name, 0700);
        }
        if (wasWhiteout) {
          markOpaque(parent, name);
        }
        dirMeta.put(target, meta(e));
      } else {
        remove(parent, name, type);
        create(data, e, parent, name, raw, rawLink);
      }
      touch(target);
      written++;
    } finally {
      parent.release();
    }
  }

  private RootedDirs.Dir parent(String rel, String raw) throws IOException {
    try {
      return dirs.resolve(rel, true, (p, n, type) -> {
        if (type == DirHandle.ABSENT) {
          p.handle.mkdir(n, 0755);
          return true;
        }
        if (type == Posix.S_IFCHR && whitedOut.remove(p.child(n))) {
          p.handle.deleteTree(n);
          p.handle.mkdir(n, 0755);
          markOpaque(p, n);
          return true;
        }
        return false;
      });
    } catch (RootedDirs.NotADirectoryException nd) {
      throw EntryNames.unsafe(raw, "parent " + ByteNameTarInput.display(nd.rel) + " is not a directory");
    } catch (RootedPaths.LinkLoopException loop) {
      throw EntryNames.unsafe(raw, "too many levels of symbolic links");
    }
  }

  private void remove(RootedDirs.Dir parent, String name, int type) throws IOException {
    if (type == DirHandle.ABSENT) {
      return;
    }
    if (type == Posix.S_IFDIR || type == Posix.S_IFLNK) {
      dirs.invalidate();
    }
    parent.handle.deleteTree(name);
  }

  private void whiteout(RootedDirs.Dir parent, String victim) throws IOException {
    if (victim.equals(LayerPaths.OPAQUE_MARKER.substring(LayerPaths.WHITEOUT_PREFIX.length()))) {
      if (x.whiteouts == SafeExtractor.Whiteouts.APPLY) {
        clearOpaque(parent);
      } else {
        parent.handle.setXattr(SafeExtractor.OPAQUE_XATTR, "y");
      }
      touch(parent.rel);
      return;
    }
    if (victim.startsWith(LayerPaths.WHITEOUT_PREFIX)) {
      return;
    }
    String target = parent.child(victim);
    int type = parent.handle.type(victim);
    if (touched.contains(target)) {
      // the same layer writes this name: its entry stays; a lower directory there is hidden
      if (type == Posix.S_IFDIR) {
        if (x.whiteouts == SafeExtractor.Whiteouts.APPLY) {
          try (DirHandle h = parent.handle.openDir(victim)) {
            clearOpaque(new RootedDirs.Dir(h, target));
          }
        } else {
          markOpaque(parent, victim);
        }
      }
      return;
    }
    remove(parent, victim, type);
    if (x.whiteouts == SafeExtractor.Whiteouts.OVERLAY) {
      parent.handle.mknod(victim, Posix.S_IFCHR, 0, 0);
      whitedOut.add(target);
    }
  }

  private static void markOpaque(RootedDirs.Dir parent, String name) throws IOException {
    try (DirHandle h = parent.handle.openDir(name)) {
      h.setXattr(SafeExtractor.OPAQUE_XATTR, "y");
    }
  }

  /** Deletes what this layer did not write under {@code dir}, iteratively. */
  private void clearOpaque(RootedDirs.Dir dir) throws IOException {
    Deque<RootedDirs.Dir> todo = new ArrayDeque<>();
    todo.push(dir.acquire());
    while (!todo.isEmpty()) {
      RootedDirs.Dir d = todo.pop();
      try {
        for (String c : d.handle.list()) {
          String rel = d.child(c);
          int type = d.handle.type(c);
          if (!touched.contains(rel)) {
            remove(d, c, type);
          } else if (type == Posix.S_IFDIR) {
            todo.push(new RootedDirs.Dir(d.handle.openDir(c), rel));
          }
        }
      } finally {
        d.release();
      }
    }
  }

  private void create(InputStream data, TarArchiveEntry e, RootedDirs.Dir parent, String name, String raw,
      String rawLink) throws IOException {
    DirHandle.Meta meta = meta(e);
    if (e.isSymbolicLink()) {
      parent.handle.symlink(name, rawLink);
      if (x.preserveOwners) {
        parent.handle.applyAt(name, meta, true);
      }
    } else if (e.isLink()) {
      hardlink(parent, name, raw, rawLink);
    } else if (e.isCharacterDevice() || e.isBlockDevice() || e.isFIFO()) {
      int type = e.isFIFO() ? Posix.S_IFIFO : e.isCharacterDevice() ? Posix.S_IFCHR : Posix.S_IFBLK;
      parent.handle.mknod(name, type, e.getDevMajor(), e.getDevMinor());
      parent.handle.applyAt(name, meta, false);
    } else {
      parent.handle.createFile(name, data, meta);
    }
  }

  private void hardlink(RootedDirs.Dir parent, String name, String raw, String rawLink) throws IOException {
    String shownLink = ByteNameTarInput.display(rawLink);
    String linkRel;
    try {
      linkRel = EntryNames.check(rawLink, x.confineAbsolute);
    } catch (UnsafeArchiveException bad) {
      throw EntryNames.unsafe(raw, "hard link target \"" + shownLink + "\" is outside the root");
    }
    if (linkRel.isEmpty()) {
      throw EntryNames.unsafe(raw, "hard link to the root");
    }
    RootedDirs.Dir dir;
    try {
      dir = dirs.resolve(LayerPaths.parent(linkRel), true, (p, n, t) -> false);
    } catch (RootedDirs.NotADirectoryException | RootedPaths.LinkLoopException missing) {
      dir = null;
    }
    try {
      String existing = LayerPaths.name(linkRel);
      int type = dir == null ? DirHandle.ABSENT : dir.handle.type(existing);
      if (type == DirHandle.ABSENT || type == Posix.S_IFDIR) {
        throw EntryNames.unsafe(raw, "hard link target \"" + shownLink
            + "\" is not a file extracted inside the root");
      }
      parent.handle.link(name, dir.handle, existing);
    } finally {
      if (dir != null) {
        dir.release();
      }
    }
  }

  private DirHandle.Meta meta(TarArchiveEntry e) {
    Map<String, String> xattrs = new TreeMap<>();
    if (x.preserveOwners) {
      for (Map.Entry<String, String> p : e.getExtraPaxHeaders().entrySet()) {
        if (p.getKey().startsWith(XATTR_PREFIX + "user.")) {
          xattrs.put(p.getKey().substring(XATTR_PREFIX.length()), p.getValue());
        }
      }
    }
    return new DirHandle.Meta(e.getMode() & 07777, (int) e.getLongUserId(), (int) e.getLongGroupId(),
        e.getLastModifiedTime().toInstant(), xattrs, x.preserveOwners);
  }

  /** Records {@code rel} and its parents as written by this layer (stops at the first already known). */
  private void touch(String rel) {
    for (String p = rel; touched.add(p) && !p.isEmpty(); p = LayerPaths.parent(p)) {
      // each parent once
    }
  }

  /**
   * Applies directory metadata, each directory opened again from the root without following any
   * symlink: one replaced by a symlink or a file since it was written is skipped.
   */
  void finish() throws IOException {
    dirs.invalidate();
    for (Map.Entry<String, DirHandle.Meta> d : dirMeta.entrySet()) {
      RootedDirs.Dir dir;
      try {
        dir = dirs.resolve(d.getKey(), false, (p, n, t) -> false);
      } catch (RootedDirs.NotADirectoryException gone) {
        continue;
      }
      try {
        dir.handle.apply(d.getValue(), d.getKey());
      } finally {
        dir.release();
      }
    }
  }

  @Override
  public void close() {
    dirs.close();
  }
}
