package dev.gantry;

/**
 * Test helper: the code of a Java source file without its comments and literals, so that rules
 * about names used in code are not tripped by a name in a comment or a string.
 */
final class JavaSource {
  private JavaSource() {}

  /**
   * {@code source} with the content of comments, string literals, text blocks and character
   * literals replaced by spaces; line breaks are kept, so positions stay the same.
   */
  static String codeOnly(String source) {
    StringBuilder out = new StringBuilder(source);
    int i = 0;
    int n = source.length();
    while (i < n) {
      char c = source.charAt(i);
      if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
        int end = source.indexOf('\n', i);
        i = blank(out, i, end < 0 ? n : end);
      } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
        int end = source.indexOf("*/", i + 2);
        i = blank(out, i, end < 0 ? n : end + 2);
      } else if (source.startsWith("\"\"\"", i)) {
        i = blank(out, i, closing(source, i + 3, "\"\"\"") + 3);
      } else if (c == '"' || c == '\'') {
        i = blank(out, i, closing(source, i + 1, String.valueOf(c)) + 1);
      } else {
        i++;
      }
    }
    return out.toString();
  }

  /** The index of {@code end} after {@code from}, skipping backslash escapes (the source's length if none). */
  private static int closing(String s, int from, String end) {
    int i = from;
    while (i < s.length()) {
      if (s.charAt(i) == '\\') {
        i += 2;
      } else if (s.startsWith(end, i)) {
        return i;
      } else {
        i++;
      }
    }
    return s.length();
  }

  /** Blanks {@code [from, to)} but its line breaks; returns {@code to}. */
  private static int blank(StringBuilder out, int from, int to) {
    int end = Math.min(to, out.length());
    for (int k = from; k < end; k++) {
      if (out.charAt(k) != '\n') {
        out.setCharAt(k, ' ');
      }
    }
    return end;
  }

  /** The 1-based line of offset {@code index} in {@code text}. */
  static int line(String text, int index) {
    int line = 1;
    for (int k = 0; k < index; k++) {
      if (text.charAt(k) == '\n') {
        line++;
      }
    }
    return line;
  }
}
