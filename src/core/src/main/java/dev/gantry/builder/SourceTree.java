package dev.gantry.builder;

import dev.gantry.context.BuildContext;
import dev.gantry.context.ContextEntry;
import dev.gantry.layer.EntryType;
import dev.gantry.layer.LayerEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where COPY reads from: a filesystem tree plus, for the build context, which paths share an inode
 * (so hard links stay hard links within a layer).
 *
 * @param tree the files
 * @param inodes path -> inode identity, for paths that may be hard links (may be empty)
 */
record SourceTree(FsTree tree, Map<String, Object> inodes) {

  /** A stage's or image's filesystem. */
  static SourceTree of(FsTree tree) {
    return new SourceTree(tree, Map.of());
  }

  /**
   * The build context as a tree: files owned by 0:0 (as BuildKit transfers them), modes and link
   * targets as on disk, contents read from disk when the layer is written. Every time is
   * {@code epoch} (SOURCE_DATE_EPOCH): mtimes on disk are not part of a step's cache key, so they
   * must not be part of its layer either, or a cache hit could differ from a fresh build. FIFOs
   * and device nodes are kept as such (fsutil sends them as special entries; only their metadata is
   * read, they are never opened); sockets are left out, as fsutil leaves them out.
   */
  static SourceTree of(BuildContext context, Instant epoch) throws IOException {
    FsTree tree = FsTree.empty();
    List<LayerEntry> entries = new ArrayList<>();
    Map<String, Object> inodes = new HashMap<>();
    for (ContextEntry e : context.entries()) {
      LayerEntry le = switch (e.type()) {
        case DIRECTORY -> LayerEntry.directory(e.path()).withMode(e.mode());
        case SYMLINK -> LayerEntry.symlink(e.path(), e.linkTarget());
        case FILE -> LayerEntry.file(e.path(), context.file(e), e.size()).withMode(e.mode());
        default -> special(e.path(), context.file(e));
      };
      if (le == null) {
        continue;
      }
      entries.add(le.withOwner(0, 0).withMtime(epoch));
      if (e.type() == dev.gantry.context.EntryType.FILE && e.linkCount() > 1) {
        inodes.put(e.path(), e.fileId());
      }
    }
    tree.apply(entries);
    return new SourceTree(tree, Map.copyOf(inodes));
  }

  /** A FIFO or device node of the context, from one lstat (never opened); null for a socket or a vanished file. */
  private static LayerEntry special(String path, Path file) throws IOException {
    Map<String, Object> a;
    try {
      a = Files.readAttributes(file, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException vanished) {
      return null;
    }
    int mode = (Integer) a.get("mode");
    long rdev = (Long) a.get("rdev");
    int major = (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
    int minor = (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
    LayerEntry le = switch (mode & 0170000) {
      case 0010000 -> LayerEntry.fifo(path);
      case 0020000 -> LayerEntry.device(path, EntryType.CHAR_DEVICE, major, minor);
      case 0060000 -> LayerEntry.device(path, EntryType.BLOCK_DEVICE, major, minor);
      default -> null;
    };
    return le == null ? null : le.withMode(mode & 07777);
  }

  /** True when {@code path} is a directory (the root always is). */
  boolean isDirectory(String path) {
    LayerEntry e = tree.get(path);
    return path.isEmpty() || (e != null && e.type() == EntryType.DIR);
  }
}
