package dev.gantry.ast;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An ADD instruction: like COPY, and also URLs, Git repositories and local archives (unpacked).
 *
 * <p>This class is immutable and thread-safe.
 *
 * @param node the syntax node
 * @param sources source paths or URLs, unexpanded
 * @param contents inline heredoc sources
 * @param destination the destination path, unexpanded
 * @param chown the {@code --chown} value or null
 * @param chmod the {@code --chmod} value or null
 * @param link {@code --link}
 * @param keepGitDir {@code --keep-git-dir}, or null when not given
 * @param checksum the {@code --checksum} value or null
 * @param unpack {@code --unpack}, or null when not given
 * @param excludes the {@code --exclude} patterns, in order
 */
public record Add(SyntaxNode node, List<String> sources, List<SourceContent> contents, String destination,
    String chown, String chmod, boolean link, Boolean keepGitDir, String checksum, Boolean unpack,
    List<String> excludes) implements Instruction {
  public Add {
    Objects.requireNonNull(node, "node");
    sources = List.copyOf(sources);
    contents = List.copyOf(contents);
    Objects.requireNonNull(destination, "destination");
    excludes = List.copyOf(excludes);
  }

  /** --chown, --chmod, --checksum, the sources and the destination. */
  @Override
  public List<String> expandable() {
    List<String> words = new ArrayList<>();
    for (String s : new String[] {chown, chmod, checksum}) {
      if (s != null) {
        words.add(s);
      }
    }
    words.addAll(sources);
    words.add(destination);
    words.addAll(excludes);
    return List.copyOf(words);
  }
}
