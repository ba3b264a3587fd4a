package dev.gantry.ast;

import java.util.List;
import java.util.Objects;

/**
 * A LABEL instruction: key/value metadata for the image.
 *
 * <p>This class is immutable and thread-safe.
 */
public record Label(SyntaxNode node, List<KeyValue> pairs) implements Instruction {
  public Label {
    Objects.requireNonNull(node, "node");
    pairs = List.copyOf(pairs);
  }

  /** Keys and values, in order: all of them are expanded. */
  @Override
  public List<String> expandable() {
    return Env.keysAndValues(pairs);
  }
}
