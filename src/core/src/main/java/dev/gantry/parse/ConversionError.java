package dev.gantry.parse;

/** A validation failure of one instruction: BuildKit's message and an optional hint. */
final class ConversionError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String hint;

  ConversionError(String message) {
    this(message, null);
  }

  ConversionError(String message, String hint) {
    super(message, null, false, false);
    this.hint = hint;
  }

  String hint() {
    return hint;
  }
}
