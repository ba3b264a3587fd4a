package dev.gantry.layer;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Open directories inside an extraction root, found by path as if the root were {@code /}: one
 * component at a time through {@link DirHandle}s, symlinks followed (when asked) with absolute
 * targets taken from the root and {@code ..} stopping at it, so no result lies outside the root.
 * Recently resolved directories stay open (a small LRU keyed by path), so an archive listed in walk
 * order resolves each entry's parent in one step however deep it is.
 */
final class RootedDirs implements AutoCloseable {
  private static final int CACHED = 64;
  private static final int ANCESTORS = 8;

  /** A directory of the root and its real path (no symlinks; {@code ""} for the root); reference counted. */
  static final class Dir {
    final DirHandle handle;
    final String rel;
    private int refs = 1;

    Dir(DirHandle handle, String rel) {
      this.handle = handle;
      this.rel = rel;
    }

    Dir acquire() {
      refs++;
      return this;
    }

    /** Gives back one reference; the handle closes with the last. */
    void release() {
      if (--refs == 0) {
        handle.close();
      }
    }

    String child(String name) {
      return rel.isEmpty() ? name : rel + "/" + name;
    }
  }

  /** What to do when a path component is missing or not a directory. */
  @FunctionalInterface
  interface Missing {
    /**
     * Makes {@code name} in {@code parent} a directory (it is absent or of file {@code type}) and
     * returns true, or returns false when the path cannot go on.
     */
    boolean makeDirectory(Dir parent, String name, int type) throws IOException;
  }

  /** Thrown when a path does not resolve: a component is a file, or missing and not created. */
  static final class NotADirectoryException extends IOException {
    private static final long serialVersionUID = 1L;
    final String rel;

    NotADirectoryException(String rel) {
      super(rel);
      this.rel = rel;
    }
  }

  private final Dir root;
  private final Map<String, Dir> cache = new LinkedHashMap<>(16, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Dir> eldest) {
      if (size() > CACHED) {
        eldest.getValue().release();
        return true;
      }
      return false;
    }
  };

  RootedDirs(DirHandle root) {
    this.root = new Dir(root, "");
  }

  Dir root() {
    return root.acquire();
  }

  /** Forgets every cached directory (after a directory or symlink was removed or replaced). */
  void invalidate() {
    cache.values().forEach(Dir::release);
    cache.clear();
  }

  /**
   * The directory at clean relative path {@code rel} (acquired: the caller releases it).
   * {@code follow}: symlinks are followed inside the root; otherwise a symlink ends the path.
   * {@code missing} decides about absent or non-directory components.
   */
  Dir resolve(String rel, boolean follow, Missing missing) throws IOException {
    if (rel.isEmpty()) {
      return root.acquire();
    }
    Dir hit = cache.get(rel);
    if (hit != null) {
      return hit.acquire();
    }
    String base = rel;
    Dir start = null;
    for (int k = 0; k < ANCESTORS && start == null && !base.isEmpty(); k++) {
      base = LayerPaths.parent(base);
      start = base.isEmpty() ? root : cache.get(base);
    }
    if (start == null) {
      start = root;
      base = "";
    }
    Dir d = walk(start.acquire(), base.isEmpty() ? rel : rel.substring(base.length() + 1), follow, missing);
    remember(rel, d);
    return d;
  }

  private void remember(String key, Dir d) {
    Dir old = cache.put(key, d.acquire());
    if (old != null) {
      old.release();
    }
  }

  private Dir walk(Dir start, String path, boolean follow, Missing missing) throws IOException {
    Deque<String> todo = new ArrayDeque<>();
    for (String c : path.split("/")) {
      todo.addLast(c);
    }
    Dir cur = start;
    int links = 0;
    try {
      while (!todo.isEmpty()) {
        String c = todo.pollFirst();
        if (c.isEmpty() || c.equals(".")) {
          continue;
        }
        if (c.equals("..")) {
          Dir up = resolve(LayerPaths.parent(cur.rel), false, (p, n, t) -> false);
          cur.release();
          cur = up;
          continue;
        }
        int type = cur.handle.type(c);
        if (type == Posix.S_IFLNK && follow) {
          if (++links > RootedPaths.MAX_LINKS) {
            throw new RootedPaths.LinkLoopException(cur.child(c));
          }
          String target = cur.handle.readLink(c);
          String[] parts = target.split("/");
          for (int i = parts.length - 1; i >= 0; i--) {
            todo.addFirst(parts[i]);
          }
          if (target.startsWith("/")) {
            cur.release();
            cur = root.acquire();
          }
          continue;
        }
        if (type != Posix.S_IFDIR && !missing.makeDirectory(cur, c, type)) {
          throw new NotADirectoryException(cur.child(c));
        }
        Dir next = new Dir(cur.handle.openDir(c), cur.child(c));
        cur.release();
        cur = next;
        remember(cur.rel, cur);
      }
      return cur;
    } catch (IOException | RuntimeException e) {
      cur.release();
      throw e;
    }
  }

  @Override
  public void close() {
    invalidate();
    root.release();
  }
}
