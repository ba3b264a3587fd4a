package dev.gantry.expand;

/**
 * An expansion error inside the scanner, before the word it belongs to is known; {@link ShellLexer}
 * turns it into an {@link ExpansionException}. It carries no stack trace.
 */
final class Failure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean limit;

  Failure(String reason) {
    this(reason, false);
  }

  /** A failure; {@code limit} when it is a size limit that was passed rather than a mistake in the word. */
  Failure(String reason, boolean limit) {
    super(reason, null, false, false);
    this.limit = limit;
  }

  boolean limit() {
    return limit;
  }
}
