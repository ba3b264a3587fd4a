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
  /** How much of the word the message quotes. */
  private static final int QUOTED_CHARS = 200;

  private final String reason;
  private final boolean limit;

  ExpansionException(String word, String reason) {
    this(word, reason, false);
  }

  ExpansionException(String word, String reason, boolean limit) {
    super("failed to process " + quote(word) + ": " + reason);
    this.word = word;
    this.reason = reason;
    this.limit = limit;
  }

  /** True when the word is well formed but its expansion passed {@link ShellLexer#MAX_WORD_CHARS}. */
  public boolean sizeLimit() {
    return limit;
  }

  /** The word that was being expanded. */
  public String word() {
    return word;
  }

  /** Why expansion failed, without the word. */
  public String reason() {
    return reason;
  }

  private static String quote(String word) {
    String s = word.length() > QUOTED_CHARS ? word.substring(0, QUOTED_CHARS) : word;
    StringBuilder out = new StringBuilder(GoQuote.quote(s));
    if (s.length() < word.length()) {
      out.append("... (").append(word.length()).append(" characters)");
    }
    return out.toString();
  }
}
