package dev.gantry.ast;

import java.util.List;
import java.util.Objects;

/**
 * A WORKDIR instruction: the working directory for the rest of the stage.
 *
 * <p>This class is immutable and thread-safe.
 *
 * @param node the syntax node
 * @param path the value as written, unexpanded
 */
public record Workdir(SyntaxNode node, String path) implements Instruction {
  public Workdir {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(path, "path");
  }

  @Override
  public List<String> expandable() {
    return List.of(path);
  }
}
