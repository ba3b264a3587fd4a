package dev.gantry.ast;

import java.util.Objects;
import java.util.Optional;

/**
 * An ONBUILD instruction: a trigger stored in the image and run by builds that start FROM it.
 *
 * <p>This class is immutable and thread-safe.
 *
 * @param node the syntax node (its {@link SyntaxNode#child()} is the trigger)
 * @param expression the trigger's text as BuildKit stores it in the image config (with heredoc
 *     bodies appended)
 * @param trigger the trigger converted, or null when it does not convert (BuildKit reports that
 *     only when the trigger runs; a warning says so)
 */
public record Onbuild(SyntaxNode node, String expression, Instruction trigger) implements Instruction {
  public Onbuild {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(expression, "expression");
  }

  /** The converted trigger, when it converts. */
  public Optional<Instruction> triggerOptional() {
    return Optional.ofNullable(trigger);
  }
}
