package dev.gantry.builder;

/** A step cannot be carried out: the message says why, the hint how to fix it. */
final class StepException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String hint;

  StepException(String message, String hint) {
    super(message);
    this.hint = hint;
  }

  String hint() {
    return hint;
  }
}
