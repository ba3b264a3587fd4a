package dev.gantry.ast;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A FROM instruction: the base image of a build stage, an optional {@code --platform} and an
 * optional {@code AS name}.
 *
 * <p>This class is immutable and thread-safe.
 *
 * @param node the syntax node
 * @param image the base image reference or earlier stage name, unexpanded (global ARGs apply)
 * @param platform the {@code --platform} value, unexpanded, or null
 * @param stageName the stage name lower-cased (it matches {@code ^[a-z][a-z0-9-_.]*$}), or null
 * @param docComment the description from a {@code # <name> <description>} comment, or empty
 */
public record From(SyntaxNode node, String image, String platform, String stageName, String docComment)
    implements Instruction {
  public From {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(docComment, "docComment");
  }

  /** The stage name, when the FROM has {@code AS name}. */
  public Optional<String> name() {
    return Optional.ofNullable(stageName);
  }

  @Override
  public List<String> expandable() {
    List<String> words = new ArrayList<>();
    words.add(image);
    if (platform != null) {
      words.add(platform);
    }
    return List.copyOf(words);
  }
}
