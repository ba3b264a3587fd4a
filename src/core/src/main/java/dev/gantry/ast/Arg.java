package dev.gantry.ast;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An ARG instruction: one or more build arguments, each with an optional default.
 *
 * <p>This class is immutable and thread-safe.
 */
public record Arg(SyntaxNode node, List<ArgDefinition> args) implements Instruction {
  public Arg {
    Objects.requireNonNull(node, "node");
    args = List.copyOf(args);
  }

  /** Names and defaults, in order. */
  @Override
  public List<String> expandable() {
    List<String> words = new ArrayList<>();
    for (ArgDefinition a : args) {
      words.add(a.key());
      if (a.defaultValue() != null) {
        words.add(a.defaultValue());
      }
    }
    return List.copyOf(words);
  }
}
