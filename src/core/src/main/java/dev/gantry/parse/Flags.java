package dev.gantry.parse;

/**
 * BuildKit's leading-flag word decoding ({@code --opt="a b"} gives {@code --opt=a b}).
 *
 * <p>BuildKit reads flags byte by byte and re-encodes every byte as a rune, so this works on the
 * one-char-per-byte view of the line and returns text in that same view. Stateless, thread-safe.
 */
final class Flags {
  private Flags() {}

  /** Removes quotes and processes the escape character in one flag word (no blanks outside quotes). */
  static String decode(String word, char escape) {
    StringBuilder out = new StringBuilder(word.length());
    boolean inQuote = false;
    char quote = 0;
    int n = word.length();
    for (int pos = 0; pos < n; pos++) {
      char ch = word.charAt(pos);
      if (!inQuote) {
        if (ch == '\'' || ch == '"') {
          quote = ch;
          inQuote = true;
          continue;
        }
      } else if (ch == quote) {
        inQuote = false;
        continue;
      }
      if (ch == escape) {
        if (pos + 1 == n) {
          inQuote = false;
          continue;
        }
        ch = word.charAt(++pos);
      }
      out.append(ch);
    }
    return out.toString();
  }
}
