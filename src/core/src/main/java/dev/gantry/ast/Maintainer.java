package dev.gantry.ast;

import java.util.Objects;

/**
 * A MAINTAINER instruction: the deprecated image author field.
 *
 * <p>This class is immutable and thread-safe.
 *
 * @param node the syntax node
 * @param maintainer the value as written, unexpanded
 */
public record Maintainer(SyntaxNode node, String maintainer) implements Instruction {
  public Maintainer {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(maintainer, "maintainer");
  }
}
