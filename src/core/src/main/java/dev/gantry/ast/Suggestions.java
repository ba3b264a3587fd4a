package dev.gantry.ast;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the closest valid spelling of a mistyped word (an instruction, flag or option), the way
 * BuildKit suggests fixes: the option with the smallest Levenshtein distance below 3.
 */
public final class Suggestions {
  private Suggestions() {}

  /**
   * The closest option, or empty when none is close enough or the value already is an option.
   * Ties go to the first option in sorted order, so results are stable. Without case
   * sensitivity the match is given in the case style of {@code value}.
   */
  public static Optional<String> closest(String value, Collection<String> options, boolean caseSensitive) {
    String v = caseSensitive ? value : value.toLowerCase(Locale.ROOT);
    List<String> sorted = new ArrayList<>(options);
    sorted.sort(null);
    String match = null;
    int best = 3;
    for (String option : sorted) {
      String o = caseSensitive ? option : option.toLowerCase(Locale.ROOT);
      if (o.equals(v)) {
        return Optional.empty();
      }
      int d = distance(v, o);
      if (d < best) {
        best = d;
        match = caseSensitive ? o : matchCase(o, value);
      }
    }
    return Optional.ofNullable(match);
  }

  /** {@code message + " (did you mean X?)"} when there is a suggestion, else the message. */
  public static String withSuggestion(String message, String value, Collection<String> options, boolean caseSensitive) {
    return closest(value, options, caseSensitive).map(m -> message + " (did you mean " + m + "?)").orElse(message);
  }

  /** The Levenshtein edit distance (insert, delete, substitute: cost 1 each) of two strings. */
  public static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static String matchCase(String match, String original) {
    if (original.equals(original.toLowerCase(Locale.ROOT))) {
      return match.toLowerCase(Locale.ROOT);
    }
    if (original.equals(original.toUpperCase(Locale.ROOT))) {
      return match.toUpperCase(Locale.ROOT);
    }
    return match;
  }
}
