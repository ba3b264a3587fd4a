package dev.gantry.ast;

import java.util.stream.Collectors;

/**
 * BuildKit's parser dump format: one s-expression line per instruction, such as
 * {@code (copy ["--from=build"] "/src" "/dst")}, with every string quoted as Go's
 * {@code strconv.Quote} does. Heredoc bodies, comments and directives are not printed.
 *
 * <p>This class is stateless and thread-safe.
 */
public final class AstDump {
  private AstDump() {}

  /** The whole tree: one {@code (node)} line per instruction joined by newlines, no final newline. */
  public static String dump(SyntaxTree tree) {
    return tree.children().stream().map(n -> "(" + dump(n) + ")").collect(Collectors.joining("\n"));
  }

  /** One node without its outer parentheses, e.g. {@code run "make"}. */
  public static String dump(SyntaxNode node) {
    StringBuilder out = new StringBuilder(lower(node.keyword()));
    if (!node.flags().isEmpty()) {
      out.append(" [")
          .append(node.flags().stream().map(AstDump::quote).collect(Collectors.joining(" ")))
          .append(']');
    }
    if (node.child() != null) {
      out.append(" (").append(dump(node.child())).append(')');
    }
    for (String arg : node.args()) {
      out.append(' ').append(quote(arg));
    }
    return trimSpace(out.toString());
  }

  /**
   * Go's {@code strconv.Quote}. Chars {@code U+DC80..U+DCFF} stand for invalid UTF-8 bytes (see
   * the parser's text decoding) and print as {@code \xNN}.
   */
  public static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c >= 0xDC80 && c <= 0xDCFF) {
        hex(out, "\\x", c - 0xDC00, 2);
        i++;
        continue;
      }
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isSurrogate((char) cp) && cp < 0x10000) {
        cp = 0xFFFD;
      }
      if (cp == '"' || cp == '\\') {
        out.append('\\').appendCodePoint(cp);
      } else if (isPrint(cp)) {
        out.appendCodePoint(cp);
      } else {
        switch (cp) {
          case 0x07 -> out.append("\\a");
          case '\b' -> out.append("\\b");
          case '\f' -> out.append("\\f");
          case '\n' -> out.append("\\n");
          case '\r' -> out.append("\\r");
          case '\t' -> out.append("\\t");
          case 0x0B -> out.append("\\v");
          default -> {
            if (cp < ' ' || cp == 0x7F) {
              hex(out, "\\x", cp, 2);
            } else if (cp < 0x10000) {
              hex(out, "\\u", cp, 4);
            } else {
              hex(out, "\\U", cp, 8);
            }
          }
        }
      }
    }
    return out.append('"').toString();
  }

  private static void hex(StringBuilder out, String prefix, int v, int digits) {
    out.append(prefix);
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
      out.append(Character.forDigit((v >> shift) & 0xF, 16));
    }
  }

  /** Go's {@code strconv.IsPrint}: letters, marks, numbers, punctuation, symbols and ASCII space. */
  static boolean isPrint(int cp) {
    if (cp == ' ') {
      return true;
    }
    switch (Character.getType(cp)) {
      case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
          Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
          Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK, Character.DECIMAL_DIGIT_NUMBER,
          Character.LETTER_NUMBER, Character.OTHER_NUMBER, Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION, Character.START_PUNCTUATION, Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION, Character.MATH_SYMBOL, Character.CURRENCY_SYMBOL,
          Character.MODIFIER_SYMBOL, Character.OTHER_SYMBOL:
        return true;
      default:
        return false;
    }
  }

  /** Go's {@code strings.ToLower}: per code point, invalid bytes become U+FFFD. */
  static String lower(String s) {
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      int cp = s.codePointAt(i);
      out.appendCodePoint(c >= 0xDC80 && c <= 0xDCFF ? 0xFFFD : Character.toLowerCase(cp));
      i += Character.charCount(cp);
    }
    return out.toString();
  }

  private static boolean isSpace(int cp) {
    return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0x85 || cp == 0xA0 || cp == 0x1680
        || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F
        || cp == 0x205F || cp == 0x3000;
  }

  private static String trimSpace(String s) {
    int b = 0;
    int e = s.length();
    while (b < e && isSpace(s.codePointAt(b))) {
      b += Character.charCount(s.codePointAt(b));
    }
    while (e > b && isSpace(s.codePointBefore(e))) {
      e -= Character.charCount(s.codePointBefore(e));
    }
    return s.substring(b, e);
  }
}
