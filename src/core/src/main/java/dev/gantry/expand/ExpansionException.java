package dev.gantry.expand;

/**
 * An error found while expanding a word: a syntax error (unterminated quote or brace, bad
 * substitution, unsupported operator), an invalid pattern, or a {@code ${name?message}} check that
 * failed.
 *
 * <p>The message names the word and the reason, for example
 * {@code failed to process "${x:?}": x: is not allowed to be empty}; the caller adds the Dockerfile
 * position. {@link #reason()} is the reason alone.
 */
public final class ExpansionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String word;
  private final String reason;

  ExpansionException(String word, String reason) {
    super("failed to process " + quote(word) + ": " + reason);
    this.word = word;
    this.reason = reason;
  }

  /** The word that was being expanded. */
  public String word() {
    return word;
  }

  /** Why expansion failed, without the word. */
  public String reason() {
    return reason;
  }

  private static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    s.codePoints().forEach(c -> {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\x%02x", c));
          } else {
            out.appendCodePoint(c);
          }
        }
      }
    });
    return out.append('"').toString();
  }
}
