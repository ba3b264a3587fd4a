package dev.gantry.expand;

/**
 * An expansion error inside the scanner, before the word it belongs to is known; {@link ShellLexer}
 * turns it into an {@link ExpansionException}. It carries no stack trace.
 */
final class Failure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  Failure(String reason) {
    super(reason, null, false, false);
  }
}
