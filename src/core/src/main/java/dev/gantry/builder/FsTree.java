package dev.gantry.builder;

import dev.gantry.layer.EntryType;
import dev.gantry.layer.LayerEntry;
import dev.gantry.layer.LayerPaths;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The flattened filesystem of a stage at some step: every path with its metadata and where its
 * bytes are, built by applying layers in order (whiteouts and opaque directories honoured). Used for
 * {@code COPY --from}, {@code --chown} name lookups and the destination checks of COPY.
 *
 * <p>Paths are clean and relative ({@code etc/passwd}); the root is {@code ""} and always a
 * directory. Not thread-safe: each stage owns its tree; {@link #copy()} hands one to another stage.
 */
final class FsTree {
  private static final int MAX_LINKS = 255;
  private final TreeMap<String, LayerEntry> entries;

  private FsTree(TreeMap<String, LayerEntry> entries) {
    this.entries = entries;
  }

  /** An empty filesystem. */
  static FsTree empty() {
    return new FsTree(new TreeMap<>());
  }

  /** An independent copy (entries are immutable and shared). */
  FsTree copy() {
    return new FsTree(new TreeMap<>(entries));
  }

  /**
   * Applies one layer as a layer applier does: its whiteouts and opaque markers first (they hide
   * what the layers below have, never an entry of the same layer), then its entries in order, then
   * its hard links (so a link may name a file that comes after it in the layer). A path whose parent
   * directories the layer does not list gets them as 0755 root-owned directories, as containerd
   * and BuildKit create them when applying such a layer.
   */
  void apply(Collection<LayerEntry> layer) {
    for (LayerEntry e : layer) {
      if (e.type() == EntryType.WHITEOUT) {
        removeSubtree(e.path(), true);
      } else if (e.type() == EntryType.OPAQUE_WHITEOUT) {
        removeSubtree(e.path(), false);
      }
    }
    Map<String, LayerEntry> links = new java.util.LinkedHashMap<>();
    for (LayerEntry e : layer) {
      switch (e.type()) {
        case WHITEOUT, OPAQUE_WHITEOUT -> { }
        case HARDLINK -> links.put(e.path(), e);
        case DIR -> {
          LayerEntry old = entries.get(e.path());
          if (old != null && old.type() != EntryType.DIR) {
            removeSubtree(e.path(), true);
          }
          put(e);
        }
        default -> replace(e);
      }
    }
    for (LayerEntry link : links.values()) {
      String target = link.linkTarget();
      for (int i = 0; i <= links.size() && links.containsKey(target); i++) {
        target = links.get(target).linkTarget();
      }
      LayerEntry file = entries.get(target);
      if (file != null && file.type() != EntryType.DIR && file.type() != EntryType.HARDLINK) {
        replace(file.withPath(link.path()));
      }
    }
  }

  /** Puts {@code e} (not a directory) in place of what is at its path, a directory with its children too. */
  private void replace(LayerEntry e) {
    LayerEntry old = entries.put(e.path(), e);
    if (old == null) {
      addParents(e.path());
    } else if (old.type() == EntryType.DIR) {
      removeSubtree(e.path(), false); // only a directory has children in the tree
    }
  }

  /** Puts {@code e}, creating the parent directories the tree does not have yet. */
  private void put(LayerEntry e) {
    if (entries.put(e.path(), e) == null) {
      addParents(e.path());
    }
  }

  /** Creates the parent directories of {@code path} the tree does not have yet (0755, root-owned). */
  private void addParents(String path) {
    for (String p = LayerPaths.parent(path); !p.isEmpty() && !entries.containsKey(p); p = LayerPaths.parent(p)) {
      entries.put(p, LayerEntry.directory(p));
    }
  }

  private void removeSubtree(String path, boolean includingSelf) {
    if (includingSelf) {
      entries.remove(path);
    }
    entries.subMap(path + "/", true, path + "/\uffff", true).clear();
  }

  /** The entry at {@code path} without following a final symlink, or null (also for the root, {@code ""}). */
  LayerEntry get(String path) {
    return path.isEmpty() ? null : entries.get(path);
  }

  /** True when {@code path} exists (the root always does). */
  boolean exists(String path) {
    return path.isEmpty() || entries.containsKey(path);
  }

  /**
   * Resolves {@code path} inside the root, following symlinks in every component (and in the last
   * one when {@code followLast}); absolute link targets are taken relative to the root and
   * {@code ..} never climbs above it. Returns the clean path (which may not exist), or null on a
   * symlink loop.
   */
  String resolve(String path, boolean followLast) {
    return resolve(entries::get, path, followLast);
  }

  /**
   * {@link #resolve(String, boolean)} over the entries {@code lookup} gives by clean path (null where
   * there is none), for a view that adds entries of its own to a tree. A link whose target does not
   * exist resolves to its target's path, as fsutil's root-relative resolution does.
   */
  static String resolve(java.util.function.Function<String, LayerEntry> lookup, String path, boolean followLast) {
    List<String> todo = new ArrayList<>(List.of(split(path)));
    List<String> done = new ArrayList<>();
    int links = 0;
    while (!todo.isEmpty()) {
      String part = todo.remove(0);
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!done.isEmpty()) {
          done.remove(done.size() - 1);
        }
        continue;
      }
      done.add(part);
      String current = String.join("/", done);
      LayerEntry e = lookup.apply(current);
      boolean last = todo.isEmpty();
      if (e != null && e.type() == EntryType.SYMLINK && (!last || followLast)) {
        if (++links > MAX_LINKS) {
          return null;
        }
        done.remove(done.size() - 1);
        String target = e.linkTarget();
        if (target.startsWith("/")) {
          done.clear();
        }
        List<String> next = new ArrayList<>(List.of(split(target)));
        next.addAll(todo);
        todo = next;
      }
    }
    return String.join("/", done);
  }

  /** True when {@code path}, with symlinks followed, is a directory. */
  boolean isDirectory(String path) {
    String r = resolve(path, true);
    return r != null && (r.isEmpty() || (entries.get(r) != null && entries.get(r).type() == EntryType.DIR));
  }

  /** The direct children of directory {@code dir} (clean path), sorted by name; descendants are skipped, not scanned. */
  List<LayerEntry> children(String dir) {
    String prefix = dir.isEmpty() ? "" : dir + "/";
    List<LayerEntry> out = new ArrayList<>();
    String key = prefix.isEmpty() ? (entries.isEmpty() ? null : entries.firstKey()) : entries.higherKey(prefix);
    while (key != null && key.startsWith(prefix)) {
      int slash = key.indexOf('/', prefix.length());
      if (slash < 0) {
        out.add(entries.get(key));
        key = entries.higherKey(key);
      } else {
        key = entries.higherKey(key.substring(0, slash) + "/\uffff");
      }
    }
    return out;
  }

  /** The bytes of the regular file at {@code path} (symlinks followed), or null when there is none. */
  byte[] read(String path) throws IOException {
    String r = resolve(path, true);
    LayerEntry e = r == null ? null : entries.get(r);
    if (e == null || e.type() != EntryType.FILE) {
      return null;
    }
    try (InputStream in = e.content().open()) {
      return in.readAllBytes();
    }
  }

  /** Number of entries (for tests and progress). */
  int size() {
    return entries.size();
  }

  private static String[] split(String p) {
    return p.split("/");
  }
}
