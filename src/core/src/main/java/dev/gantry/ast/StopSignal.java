package dev.gantry.ast;

import java.util.List;
import java.util.Objects;

/**
 * A STOPSIGNAL instruction: the signal that stops a container of the image.
 *
 * <p>This class is immutable and thread-safe.
 *
 * @param node the syntax node
 * @param signal the value as written, unexpanded
 */
public record StopSignal(SyntaxNode node, String signal) implements Instruction {
  public StopSignal {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(signal, "signal");
  }

  @Override
  public List<String> expandable() {
    return List.of(signal);
  }
}
