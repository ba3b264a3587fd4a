package dev.gantry.model;

/**
 * A build failed. The message is one line that names the step ({@code Dockerfile:12:1: COPY ...})
 * and what went wrong; {@link #hint()} says how to fix it, when known.
 */
public class BuildException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String hint;

  public BuildException(String message, String hint, Throwable cause) {
    super(message, cause);
    this.hint = hint;
  }

  public BuildException(String message, String hint) {
    this(message, hint, null);
  }

  /** How to fix the problem, or null. */
  public String hint() {
    return hint;
  }
}
