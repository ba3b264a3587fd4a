package dev.gantry.ast;

import java.util.Objects;

/**
 * A positioned message about a Dockerfile: an error that stops the build, or a warning.
 *
 * <p>Printed as {@code file:line:col: message}, followed by an indented hint when there is one.
 * This class is immutable and thread-safe.
 */
public record Diagnostic(Severity severity, String file, SourceRange range, String message, String hint) {

  /** How serious a diagnostic is. */
  public enum Severity {
    ERROR,
    WARNING
  }

  public Diagnostic {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(range, "range");
    Objects.requireNonNull(message, "message");
  }

  /** An error without a hint. */
  public static Diagnostic error(String file, SourceRange range, String message) {
    return new Diagnostic(Severity.ERROR, file, range, message, null);
  }

  /** An error with a hint telling the user how to fix it. */
  public static Diagnostic error(String file, SourceRange range, String message, String hint) {
    return new Diagnostic(Severity.ERROR, file, range, message, hint);
  }

  /** A warning; it never stops a build. */
  public static Diagnostic warning(String file, SourceRange range, String message) {
    return new Diagnostic(Severity.WARNING, file, range, message, null);
  }

  /** One line {@code file:line:col: message} (no hint). */
  public String headline() {
    return file + ":" + range.startLine() + ":" + range.startColumn() + ": " + message;
  }

  /** The headline plus, when present, a second line {@code   hint: ...}. */
  public String format() {
    return hint == null ? headline() : headline() + System.lineSeparator() + "  hint: " + hint;
  }

  @Override
  public String toString() {
    return format();
  }
}
