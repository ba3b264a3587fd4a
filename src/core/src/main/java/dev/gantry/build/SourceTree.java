package dev.gantry.build;

import dev.gantry.context.BuildContext;
import dev.gantry.context.ContextEntry;
import dev.gantry.layer.EntryType;
import dev.gantry.layer.LayerEntry;
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
   * must not be part of its layer either, or a cache hit could differ from a fresh build.
   */
  static SourceTree of(BuildContext context, Instant epoch) {
    FsTree tree = FsTree.empty();
    List<LayerEntry> entries = new ArrayList<>();
    Map<String, Object> inodes = new HashMap<>();
    for (ContextEntry e : context.entries()) {
      LayerEntry le = switch (e.type()) {
        case DIRECTORY -> LayerEntry.directory(e.path()).withMode(e.mode());
        case SYMLINK -> LayerEntry.symlink(e.path(), e.linkTarget());
        case FILE -> LayerEntry.file(e.path(), context.file(e), e.size()).withMode(e.mode());
        default -> null;
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

  /** True when {@code path} is a directory (the root always is). */
  boolean isDirectory(String path) {
    LayerEntry e = tree.get(path);
    return path.isEmpty() || (e != null && e.type() == EntryType.DIR);
  }
}
