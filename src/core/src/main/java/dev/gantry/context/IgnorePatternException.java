package dev.gantry.context;

/**
 * An invalid ignore or source pattern: names the pattern as written and the reason it was refused.
 *
 * <p>Thrown when a matcher is built from a pattern that Go's {@code filepath.Match} rejects (such as
 * {@code [} or a lone {@code !}), and when a pattern that passed that check cannot be compiled at
 * match time (such as the reversed range in {@code [Local-Only]}).
 */
public final class IgnorePatternException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String pattern;
  private final String reason;

  /** An exception for {@code pattern} refused because of {@code reason}. */
  public IgnorePatternException(String pattern, String reason) {
    super(reason + ": " + quote(pattern));
    this.pattern = pattern;
    this.reason = reason;
  }

  /** The pattern as it was given (for exclusions, without the leading {@code !} unless lone). */
  public String pattern() {
    return pattern;
  }

  /** Why the pattern was refused, such as {@code "syntax error in pattern"}. */
  public String reason() {
    return reason;
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
