package dev.gantry.layer;

import dev.gantry.oci.Utf8Order;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Path rules for layer entries: clean, relative, slash-separated names with no {@code .} or
 * {@code ..} components, and the order entries are written in.
 */
public final class LayerPaths {
  /** The whiteout prefix of a deleted file's name. */
  public static final String WHITEOUT_PREFIX = ".wh.";
  /** The name of the opaque-directory marker. */
  public static final String OPAQUE_MARKER = ".wh..wh..opq";

  /**
   * Layer order: component by component (so a directory's children follow it, as in a directory
   * walk), the opaque marker first among its siblings, names compared by their UTF-8 bytes.
   */
  public static final Comparator<String> ORDER = LayerPaths::compare;

  private LayerPaths() {}

  /**
   * The clean form of {@code path}: leading {@code /} and {@code ./} removed, repeated and trailing
   * slashes and {@code .} components dropped. Throws {@link IllegalArgumentException} when a
   * {@code ..} component is present or nothing is left.
   */
  public static String clean(String path) {
    if (isClean(path)) {
      return path;
    }
    List<String> parts = new ArrayList<>();
    for (String p : path.split("/")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        throw new IllegalArgumentException("path \"" + path + "\" contains \"..\"");
      }
      if (p.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("path \"" + path + "\" contains a NUL character");
      }
      parts.add(p);
    }
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("path \"" + path + "\" names the root");
    }
    return String.join("/", parts);
  }

  /** Whether {@code path} is already clean: non-empty components, none {@code .} or {@code ..}, no NUL. */
  private static boolean isClean(String path) {
    int n = path.length();
    int start = 0;
    for (int i = 0; i <= n; i++) {
      char c = i == n ? '/' : path.charAt(i);
      if (c == '\0') {
        return false;
      }
      if (c == '/') {
        int len = i - start;
        if (len == 0 || (path.charAt(start) == '.' && (len == 1 || (len == 2 && path.charAt(start + 1) == '.')))) {
          return false;
        }
        start = i + 1;
      }
    }
    return true;
  }

  /**
   * Resolves {@code path} lexically ({@code ..} pops a component) and returns the clean relative
   * result, or null when it would climb above the root; {@code ""} for the root itself.
   */
  public static String resolveLexically(String path) {
    List<String> parts = new ArrayList<>();
    for (String p : path.split("/")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        if (parts.isEmpty()) {
          return null;
        }
        parts.remove(parts.size() - 1);
      } else {
        parts.add(p);
      }
    }
    return String.join("/", parts);
  }

  /** The parent of a clean path, or {@code ""} for a top-level name. */
  public static String parent(String clean) {
    int i = clean.lastIndexOf('/');
    return i < 0 ? "" : clean.substring(0, i);
  }

  /** The last component of a clean path. */
  public static String name(String clean) {
    return clean.substring(clean.lastIndexOf('/') + 1);
  }

  private static int compare(String a, String b) {
    // Component by component, without splitting: this comparator sorts every layer's entries.
    // A trailing slash (a directory's tar name) is not a component.
    int la = a.endsWith("/") ? a.length() - 1 : a.length();
    int lb = b.endsWith("/") ? b.length() - 1 : b.length();
    int i = 0;
    int j = 0;
    while (true) {
      int ea = a.indexOf('/', i);
      int eb = b.indexOf('/', j);
      ea = ea < 0 || ea > la ? la : ea;
      eb = eb < 0 || eb > lb ? lb : eb;
      int c = compareName(a, i, ea, b, j, eb);
      if (c != 0) {
        return c;
      }
      boolean lastA = ea >= la;
      boolean lastB = eb >= lb;
      if (lastA || lastB) {
        return Boolean.compare(!lastA, !lastB);
      }
      i = ea + 1;
      j = eb + 1;
    }
  }

  private static int compareName(String a, int i, int ea, String b, int j, int eb) {
    int na = ea - i;
    int nb = eb - j;
    if (na == nb && a.regionMatches(i, b, j, na)) {
      return 0;
    }
    int m = OPAQUE_MARKER.length();
    if (na == m && a.startsWith(OPAQUE_MARKER, i)) {
      return -1;
    }
    if (nb == m && b.startsWith(OPAQUE_MARKER, j)) {
      return 1;
    }
    return Utf8Order.compare(a, i, ea, b, j, eb);
  }
}
