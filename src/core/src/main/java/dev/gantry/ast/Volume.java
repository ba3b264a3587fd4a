package dev.gantry.ast;

import java.util.List;
import java.util.Objects;

/**
 * A VOLUME instruction: paths marked as volumes in the image config.
 *
 * <p>This class is immutable and thread-safe.
 */
public record Volume(SyntaxNode node, List<String> paths) implements Instruction {
  public Volume {
    Objects.requireNonNull(node, "node");
    paths = List.copyOf(paths);
  }

  @Override
  public List<String> expandable() {
    return paths;
  }
}
