package dev.gantry.context;

import java.util.List;

/**
 * What a COPY/ADD source selects in a build context.
 *
 * @param source the source as written
 * @param entries the selected entries in walk order (a directory stands for its whole subtree)
 * @param excludedByIgnore when nothing was selected: whether something on disk matches the source
 *     but the ignore file left it out of the context
 */
public record SourceMatch(String source, List<ContextEntry> entries, boolean excludedByIgnore) {

  /** Copies the entry list. */
  public SourceMatch {
    entries = List.copyOf(entries);
  }

  /** Whether the source selected anything. */
  public boolean found() {
    return !entries.isEmpty();
  }

  /**
   * A one-line explanation of a miss, such as {@code "app.jar": not found (excluded by
   * .dockerignore)}.
   */
  public String missingMessage(String ignoreFileName) {
    String what = SourceResolver.hasWildcards(source) ? "no matches found"
        : "not found";
    return "\"" + source + "\": " + what
        + (excludedByIgnore ? " (excluded by " + ignoreFileName + ")" : "");
  }
}
