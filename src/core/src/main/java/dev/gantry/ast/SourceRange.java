package dev.gantry.ast;

/**
 * A region of a Dockerfile: 1-based line and column numbers of its first and last character.
 *
 * <p>This class is immutable and thread-safe.
 */
public record SourceRange(int startLine, int startColumn, int endLine, int endColumn) {

  /** A range covering whole lines {@code startLine..endLine}, starting at column 1. */
  public static SourceRange lines(int startLine, int endLine) {
    return new SourceRange(startLine, 1, endLine, 1);
  }

  /** A single point (line, column). */
  public static SourceRange at(int line, int column) {
    return new SourceRange(line, column, line, column);
  }

  public SourceRange {
    if (startLine < 0 || startColumn < 0 || endLine < startLine) {
      throw new IllegalArgumentException(
          "bad range " + startLine + ":" + startColumn + "-" + endLine + ":" + endColumn);
    }
  }

  /** {@code line:column} of the start, as printed in diagnostics. */
  @Override
  public String toString() {
    return startLine + ":" + startColumn;
  }
}
