package dev.gantry.context;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Turns the RE2 (Go {@code regexp}) expressions that {@link IgnorePattern} builds into {@link
 * Pattern}s that match exactly the same strings, or refuses them where Go's compiler would.
 *
 * <p>Only the constructs such expressions can contain are handled: literals, {@code \} escapes,
 * character classes (with RE2's rules: {@code [} is literal inside a class, {@code ]} first in a
 * class is literal, POSIX {@code [:name:]}), groups, {@code ?}, {@code *}, {@code .} and the
 * {@code ^}/{@code $} anchors. Unicode property escapes ({@code \p}) and {@code \Q...\E} are
 * refused (a documented gap).
 */
final class Re2Translator {
  private static final Map<String, String> POSIX = Map.ofEntries(
      Map.entry("alnum", "0-9A-Za-z"), Map.entry("alpha", "A-Za-z"), Map.entry("ascii", "\\x00-\\x7F"),
      Map.entry("blank", "\\t "), Map.entry("cntrl", "\\x00-\\x1F\\x7F"), Map.entry("digit", "0-9"),
      Map.entry("graph", "!-~"), Map.entry("lower", "a-z"), Map.entry("print", " -~"),
      Map.entry("punct", "!-/:-@\\[-`{-~"), Map.entry("space", "\\t\\n\\x0B\\f\\r "),
      Map.entry("upper", "A-Z"), Map.entry("word", "0-9A-Za-z_"), Map.entry("xdigit", "0-9A-Fa-f"));

  private Re2Translator() {}

  /** The Java equivalent of {@code re2}; throws {@link IllegalArgumentException} when invalid. */
  static Pattern compile(String re2) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < re2.length()) {
      int c = re2.codePointAt(i);
      if (c == '\\') {
        i = escape(re2, i + 1, out, false);
      } else if (c == '[') {
        i = charClass(re2, i + 1, out);
      } else if (c == '$' && i == re2.length() - 1) {
        out.append("\\z");
        i++;
      } else if ("^.()?*|+{}$".indexOf(c) >= 0) {
        out.append((char) c);
        i++;
      } else {
        appendLiteral(out, c);
        i += Character.charCount(c);
      }
    }
    try {
      return Pattern.compile(out.toString(), Pattern.UNIX_LINES);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(e.getDescription(), e);
    }
  }

  private static int charClass(String re, int i, StringBuilder out) {
    out.append('[');
    if (i < re.length() && re.charAt(i) == '^') {
      out.append('^');
      i++;
    }
    boolean first = true;
    while (true) {
      if (i >= re.length()) {
        throw new IllegalArgumentException("missing closing ]");
      }
      int c = re.codePointAt(i);
      if (c == ']' && !first) {
        out.append(']');
        return i + 1;
      }
      first = false;
      if (c == '[' && re.startsWith("[:", i)) {
        int end = re.indexOf(":]", i + 2);
        String name = end < 0 ? null : re.substring(i + 2, end);
        boolean negated = name != null && name.startsWith("^");
        String body = name == null ? null : POSIX.get(negated ? name.substring(1) : name);
        if (body != null) {
          out.append(negated ? "[^" + body + "]" : body);
          i = end + 2;
          continue;
        }
      }
      if (c == '\\') {
        i = escape(re, i + 1, out, true);
      } else if (c == '-') {
        out.append('-');
        i++;
      } else {
        appendLiteral(out, c);
        i += Character.charCount(c);
      }
    }
  }

  /** Translates the escape whose letter is at {@code i}; returns the index after it. */
  private static int escape(String re, int i, StringBuilder out, boolean inClass) {
    if (i >= re.length()) {
      throw new IllegalArgumentException("trailing backslash at end of expression");
    }
    int c = re.codePointAt(i);
    if (c < 0x80 && !Character.isLetterOrDigit(c)) {
      appendLiteral(out, c);
      return i + 1;
    }
    switch (c) {
      case 'd', 'D', 'w', 'W', 'f', 'n', 'r', 't' -> out.append('\\').append((char) c);
      case 's' -> out.append(inClass ? "\\t\\n\\f\\r " : "[\\t\\n\\f\\r ]");
      case 'S' -> {
        if (inClass) {
          throw new IllegalArgumentException("unsupported escape in class: \\S");
        }
        out.append("[^\\t\\n\\f\\r ]");
      }
      case 'a' -> out.append("\\x07");
      case 'v' -> out.append("\\x0B");
      case 'b', 'B', 'A', 'z' -> {
        if (inClass) {
          throw new IllegalArgumentException("invalid escape sequence: \\" + (char) c);
        }
        out.append('\\').append((char) c);
      }
      case 'x' -> {
        return hex(re, i + 1, out);
      }
      case '0', '1', '2', '3', '4', '5', '6', '7' -> {
        return octal(re, i, out);
      }
      default -> throw new IllegalArgumentException("invalid escape sequence: \\" + Character.toString(c));
    }
    return i + 1;
  }

  private static int hex(String re, int i, StringBuilder out) {
    int value;
    int next;
    if (i < re.length() && re.charAt(i) == '{') {
      int end = re.indexOf('}', i);
      if (end < 0 || end == i + 1) {
        throw new IllegalArgumentException("invalid escape sequence: \\x");
      }
      value = parseHex(re.substring(i + 1, end));
      next = end + 1;
    } else {
      if (i + 2 > re.length()) {
        throw new IllegalArgumentException("invalid escape sequence: \\x");
      }
      value = parseHex(re.substring(i, i + 2));
      next = i + 2;
    }
    appendLiteral(out, value);
    return next;
  }

  private static int parseHex(String digits) {
    try {
      int v = Integer.parseInt(digits, 16);
      if (v > Character.MAX_CODE_POINT || digits.startsWith("+") || digits.startsWith("-")) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid escape sequence: \\x" + digits, e);
    }
  }

  private static int octal(String re, int i, StringBuilder out) {
    char first = re.charAt(i);
    boolean nextIsOctal = i + 1 < re.length() && re.charAt(i + 1) >= '0' && re.charAt(i + 1) <= '7';
    if (first != '0' && !nextIsOctal) {
      throw new IllegalArgumentException("invalid escape sequence: \\" + first);
    }
    int end = i + 1;
    while (end < re.length() && end < i + 3 && re.charAt(end) >= '0' && re.charAt(end) <= '7') {
      end++;
    }
    appendLiteral(out, Integer.parseInt(re.substring(i, end), 8));
    return end;
  }

  private static void appendLiteral(StringBuilder out, int c) {
    if (c < 0x20 || c == 0x7F) {
      out.append(String.format("\\x%02X", c));
    } else if (c < 0x80 && !Character.isLetterOrDigit(c) && c != ' ' && c != '_') {
      out.append('\\').append((char) c);
    } else {
      out.appendCodePoint(c);
    }
  }
}
