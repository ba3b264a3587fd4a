package dev.gantry.context;

import java.util.ArrayList;
import java.util.List;

/** Slash-separated path helpers with the exact semantics of Go's {@code path/filepath} on unix. */
final class GoPaths {
  private GoPaths() {}

  /**
   * Go's {@code filepath.Clean}: collapses repeated slashes, removes {@code .} elements and
   * resolves {@code ..} lexically ({@code ..} at the start of a relative path is kept, at the root
   * of an absolute path dropped). Empty gives {@code "."}; a trailing slash is removed.
   */
  static String clean(String path) {
    if (path.isEmpty()) {
      return ".";
    }
    boolean rooted = path.charAt(0) == '/';
    List<String> out = new ArrayList<>();
    int leadingDotDots = 0;
    for (String element : path.split("/", -1)) {
      if (element.isEmpty() || element.equals(".")) {
        continue;
      }
      if (element.equals("..")) {
        if (out.size() > leadingDotDots) {
          out.remove(out.size() - 1);
        } else if (!rooted) {
          out.add("..");
          leadingDotDots++;
        }
        continue;
      }
      out.add(element);
    }
    String joined = String.join("/", out);
    if (rooted) {
      return "/" + joined;
    }
    return joined.isEmpty() ? "." : joined;
  }

  /** Go's {@code filepath.Dir}: everything before the last slash, cleaned; {@code "."} when none. */
  static String dir(String path) {
    int slash = path.lastIndexOf('/');
    return clean(path.substring(0, slash + 1));
  }

  /** Joins non-empty elements with a slash and cleans the result, like Go's {@code filepath.Join}. */
  static String join(String a, String b) {
    if (a.isEmpty()) {
      return b.isEmpty() ? "" : clean(b);
    }
    return b.isEmpty() ? clean(a) : clean(a + "/" + b);
  }

  /** Go's {@code strings.TrimSpace}: removes leading and trailing Unicode white space. */
  static String trimSpace(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.codePointAt(start))) {
      start += Character.charCount(s.codePointAt(start));
    }
    while (end > start && isSpace(s.codePointBefore(end))) {
      end -= Character.charCount(s.codePointBefore(end));
    }
    return s.substring(start, end);
  }

  /** Go's {@code unicode.IsSpace}. */
  static boolean isSpace(int c) {
    if (c <= 0xFF) {
      return c == ' ' || (c >= '\t' && c <= '\r') || c == 0x85 || c == 0xA0;
    }
    return c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029
        || c == 0x202F || c == 0x205F || c == 0x3000;
  }
}
