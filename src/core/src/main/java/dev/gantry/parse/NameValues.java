package dev.gantry.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * ENV and LABEL arguments as BuildKit's parser reads them: triples {@code key, value, separator}.
 * The separator is {@code "="} for each {@code key=value} word (value kept raw, quotes included) and
 * {@code ""} for the legacy {@code KEY value...} form, where the value is the rest of the line.
 *
 * <p>This class is stateless and thread-safe.
 */
public final class NameValues {
  private NameValues() {}

  /**
   * Reads {@code rest} (the trimmed text after the keyword and flags).
   *
   * @param instruction the keyword as BuildKit names it in messages ({@code "ENV"} or {@code "LABEL"})
   * @return the flat triples; empty when {@code rest} has no words
   * @throws IllegalArgumentException with BuildKit's message when the form is invalid
   */
  public static List<String> parse(String instruction, String rest, char escape) {
    List<String> words = Words.split(rest, escape);
    if (words.isEmpty()) {
      return List.of();
    }
    if (!words.get(0).contains("=")) {
      List<String> parts = Words.splitBlank(rest, 2);
      if (parts.size() < 2) {
        throw new IllegalArgumentException(instruction + " must have two arguments");
      }
      return List.of(parts.get(0), parts.get(1), "");
    }
    List<String> triples = new ArrayList<>();
    for (String word : words) {
      int eq = word.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("Syntax error - can't find = in " + goQuote(word)
            + ". Must be of the form: name=value");
      }
      triples.add(word.substring(0, eq));
      triples.add(word.substring(eq + 1));
      triples.add("=");
    }
    return triples;
  }

  private static String goQuote(String s) {
    return dev.gantry.ast.AstDump.quote(s);
  }
}
