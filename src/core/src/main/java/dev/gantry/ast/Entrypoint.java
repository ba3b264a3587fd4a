package dev.gantry.ast;

import java.util.Objects;

/**
 * An ENTRYPOINT instruction: the image's entry point (exec or shell form; {@code ENTRYPOINT []}
 * gives an empty command, which clears it).
 *
 * <p>This class is immutable and thread-safe.
 */
public record Entrypoint(SyntaxNode node, Command command) implements Instruction {
  public Entrypoint {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(command, "command");
  }
}
