package dev.gantry.ast;

import java.util.List;
import java.util.Objects;

/**
 * A SHELL instruction: the shell used for shell-form commands; always a non-empty JSON array.
 *
 * <p>This class is immutable and thread-safe.
 */
public record Shell(SyntaxNode node, List<String> shell) implements Instruction {
  public Shell {
    Objects.requireNonNull(node, "node");
    shell = List.copyOf(shell);
  }
}
