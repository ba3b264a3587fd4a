package dev.gantry.ast;

import java.util.List;
import java.util.Objects;

/**
 * An EXPOSE instruction: port specs, unexpanded and sorted as BuildKit sorts them; see
 * {@link ExposedPorts} for their normalisation to {@code port/proto}.
 *
 * <p>This class is immutable and thread-safe.
 */
public record Expose(SyntaxNode node, List<String> ports) implements Instruction {
  public Expose {
    Objects.requireNonNull(node, "node");
    ports = List.copyOf(ports);
  }

  /** Every port spec (expanded with word splitting). */
  @Override
  public List<String> expandable() {
    return ports;
  }
}
