package dev.gantry.context;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Resolves context-relative paths component by component, following symbolic links inside a tree
 * of entries the way BuildKit scopes them to the context root: an absolute link target starts again
 * at the root, and {@code ..} never climbs above it.
 */
final class SourceResolver {
  private static final int MAX_LINK_HOPS = 255;

  /** A tree of entries addressed by clean relative paths. */
  interface Tree {
    /** The entry at {@code rel} (a clean relative path, not {@code "."}), or null when missing. */
    ContextEntry lookup(String rel) throws IOException;
  }

  private SourceResolver() {}

  /**
   * The clean context-relative form of a COPY/ADD source: leading slashes dropped, cleaned, and
   * {@code "."} for the root.
   *
   * @throws ContextPathException when the path climbs out of the context with {@code ..}
   */
  static String normalize(String source) {
    String s = source;
    while (s.startsWith("/")) {
      s = s.substring(1);
    }
    String rel = GoPaths.clean(s);
    if (rel.equals("..") || rel.startsWith("../")) {
      throw new ContextPathException(source);
    }
    return rel;
  }

  /** Whether any element of the path contains an unescaped wildcard. */
  static boolean hasWildcards(String path) {
    return Arrays.stream(path.split("/")).anyMatch(GoGlob::hasWildcards);
  }

  /**
   * Splits a normalized path into the literal directories before the first element with a
   * wildcard and the rest: {@code {"a", "b*\/c"}} for {@code a/b*\/c}; the rest is empty when
   * there are no wildcards.
   */
  static String[] splitWildcards(String rel) {
    List<String> literal = new ArrayList<>();
    List<String> rest = new ArrayList<>();
    for (String element : rel.split("/")) {
      if (!rest.isEmpty() || GoGlob.hasWildcards(element)) {
        rest.add(element);
      } else {
        literal.add(element);
      }
    }
    String base = literal.isEmpty() ? "." : String.join("/", literal);
    return new String[] {base, String.join("/", rest)};
  }

  /**
   * Resolves {@code rel} inside {@code tree}: symbolic links in directory position are followed
   * (and the last element's too when {@code followFinal}). Returns the resolved clean path
   * ({@code "."} for the root), or null when a directory on the way is missing or not a directory.
   */
  static String resolve(Tree tree, String rel, boolean followFinal) throws IOException {
    Deque<String> todo = new ArrayDeque<>(Arrays.asList(rel.split("/")));
    List<String> current = new ArrayList<>();
    int hops = 0;
    while (!todo.isEmpty()) {
      String element = todo.removeFirst();
      if (element.isEmpty() || element.equals(".")) {
        continue;
      }
      if (element.equals("..")) {
        if (!current.isEmpty()) {
          current.remove(current.size() - 1);
        }
        continue;
      }
      current.add(element);
      ContextEntry entry = tree.lookup(String.join("/", current));
      boolean last = todo.isEmpty();
      if (entry != null && entry.isSymlink() && (!last || followFinal)) {
        if (++hops > MAX_LINK_HOPS) {
          throw new FileSystemLoopException(rel);
        }
        current.remove(current.size() - 1);
        String target = entry.linkTarget();
        if (target.startsWith("/")) {
          current.clear();
        }
        List<String> parts = Arrays.asList(target.split("/"));
        for (int i = parts.size() - 1; i >= 0; i--) {
          todo.addFirst(parts.get(i));
        }
        continue;
      }
      if (!last && (entry == null || !entry.isDirectory())) {
        return null;
      }
    }
    return current.isEmpty() ? "." : String.join("/", current);
  }
}
