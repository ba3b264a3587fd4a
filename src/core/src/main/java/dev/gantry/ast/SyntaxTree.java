package dev.gantry.ast;

import java.util.List;
import java.util.Objects;

/**
 * A whole Dockerfile at the syntax level: its directives, its instructions in source order, and the
 * warnings the parser raised (such as empty continuation lines).
 *
 * <p>This class is immutable and thread-safe.
 *
 * @param file the name used in diagnostics (usually the path as the user gave it)
 * @param escape the active escape character ({@code \} or {@code `})
 */
public record SyntaxTree(
    String file, char escape, List<Directive> directives, List<SyntaxNode> children, List<Diagnostic> warnings) {
  public SyntaxTree {
    Objects.requireNonNull(file, "file");
    directives = List.copyOf(directives);
    children = List.copyOf(children);
    warnings = List.copyOf(warnings);
  }
}
