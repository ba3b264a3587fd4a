package dev.gantry.ast;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An ENV instruction: environment variables set for the rest of the stage and in the image.
 *
 * <p>This class is immutable and thread-safe.
 */
public record Env(SyntaxNode node, List<KeyValue> pairs) implements Instruction {
  public Env {
    Objects.requireNonNull(node, "node");
    pairs = List.copyOf(pairs);
  }

  /** Keys and values, in order: all of them are expanded. */
  @Override
  public List<String> expandable() {
    return keysAndValues(pairs);
  }

  static List<String> keysAndValues(List<KeyValue> pairs) {
    List<String> words = new ArrayList<>();
    for (KeyValue kv : pairs) {
      words.add(kv.key());
      words.add(kv.value());
    }
    return List.copyOf(words);
  }
}
