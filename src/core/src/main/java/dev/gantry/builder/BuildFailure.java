package dev.gantry.builder;

/**
 * A build failed at a step or while writing its outputs. The message is one line naming the
 * position ({@code Dockerfile:12:1: COPY app.jar /app/}) and what went wrong.
 */
public class BuildFailure extends Exception {
  private static final long serialVersionUID = 1L;
  private final String hint;

  public BuildFailure(String message, String hint, Throwable cause) {
    super(message, cause);
    this.hint = hint;
  }

  /** How to fix it, or null. */
  public String hint() {
    return hint;
  }
}
