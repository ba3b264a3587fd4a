package dev.gantry.ast;

import java.util.Objects;

/**
 * A CMD instruction: the image's default command (exec or shell form).
 *
 * <p>This class is immutable and thread-safe.
 */
public record Cmd(SyntaxNode node, Command command) implements Instruction {
  public Cmd {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(command, "command");
  }
}
