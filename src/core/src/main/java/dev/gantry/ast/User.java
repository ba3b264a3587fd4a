package dev.gantry.ast;

import java.util.List;
import java.util.Objects;

/**
 * A USER instruction: the user (and optional group) for RUN, CMD and ENTRYPOINT.
 *
 * <p>This class is immutable and thread-safe.
 *
 * @param node the syntax node
 * @param user the value as written, unexpanded
 */
public record User(SyntaxNode node, String user) implements Instruction {
  public User {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(user, "user");
  }

  @Override
  public List<String> expandable() {
    return List.of(user);
  }
}
