package dev.gantry.ast;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A COPY instruction: files from the context, a stage or an image, or inline here-documents.
 *
 * <p>This class is immutable and thread-safe.
 *
 * @param node the syntax node
 * @param sources source paths, unexpanded (never URLs)
 * @param contents inline heredoc sources
 * @param destination the destination path, unexpanded
 * @param from the {@code --from} stage name, index or image, or null
 * @param chown the {@code --chown} value or null
 * @param chmod the {@code --chmod} value or null
 * @param link {@code --link}
 * @param parents {@code --parents}
 * @param excludes the {@code --exclude} patterns, in order
 */
public record Copy(SyntaxNode node, List<String> sources, List<SourceContent> contents, String destination,
    String from, String chown, String chmod, boolean link, boolean parents, List<String> excludes)
    implements Instruction {
  public Copy {
    Objects.requireNonNull(node, "node");
    sources = List.copyOf(sources);
    contents = List.copyOf(contents);
    Objects.requireNonNull(destination, "destination");
    excludes = List.copyOf(excludes);
  }

  /** --chown, --chmod, the sources and the destination (--from is never expanded). */
  @Override
  public List<String> expandable() {
    List<String> words = new ArrayList<>();
    if (chown != null) {
      words.add(chown);
    }
    if (chmod != null) {
      words.add(chmod);
    }
    words.addAll(sources);
    words.add(destination);
    words.addAll(excludes);
    return List.copyOf(words);
  }
}
