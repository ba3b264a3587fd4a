package dev.gantry.layer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Resolves a path inside a root directory as if the root were {@code /}: component by component,
 * following symlinks with absolute targets taken from the root and {@code ..} stopping at it, so
 * the result never lies outside the root (never {@code normalize()} plus {@code startsWith}).
 */
public final class RootedPaths {
  /** How many symlinks one resolution may follow before it is taken as a loop. */
  public static final int MAX_LINKS = 40;

  private RootedPaths() {}

  /** Thrown when resolving meets more than {@link #MAX_LINKS} symlinks. */
  public static final class LinkLoopException extends IOException {
    private static final long serialVersionUID = 1L;

    LinkLoopException(String path) {
      super("too many levels of symbolic links in " + path);
    }
  }

  /**
   * The host path of {@code path} (absolute, or relative to the root) in {@code root}; symlinks in
   * every component are followed, in the last one only when {@code followLast}.
   */
  public static Path resolve(Path root, String path, boolean followLast) throws IOException {
    Deque<String> todo = new ArrayDeque<>(List.of(path.split("/")));
    int depth = 0;
    Path cur = root;
    int links = 0;
    while (!todo.isEmpty()) {
      String c = todo.pollFirst();
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        if (depth > 0) {
          depth--;
          cur = cur.getParent();
        }
        continue;
      }
      Path candidate = cur.resolve(c);
      if ((followLast || !todo.isEmpty()) && Files.isSymbolicLink(candidate)) {
        if (++links > MAX_LINKS) {
          throw new LinkLoopException(path);
        }
        String target = Files.readSymbolicLink(candidate).toString();
        if (target.startsWith("/")) {
          depth = 0;
          cur = root;
        }
        List<String> parts = List.of(target.split("/"));
        for (int i = parts.size() - 1; i >= 0; i--) {
          todo.addFirst(parts.get(i));
        }
        continue;
      }
      depth++;
      cur = candidate;
    }
    return cur;
  }
}
