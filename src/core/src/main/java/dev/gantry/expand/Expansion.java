package dev.gantry.expand;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The result of expanding one word: the expanded text, the same text split into words, and the
 * variable names the word referred to.
 *
 * <p>{@code value} is the single-word result (quotes removed, nothing split). {@code words} is the
 * word-splitting result of the same pass. {@code matched} holds every referenced name that was set,
 * {@code unmatched} every referenced name that was not (including positional and special parameters
 * such as {@code 1} or {@code @}, which are never set); both iterate in sorted order. Cache keys and
 * the undefined-variable check read these sets. This record is immutable.
 */
public record Expansion(String value, List<String> words, Set<String> matched, Set<String> unmatched) {

  public Expansion {
    Objects.requireNonNull(value, "value");
    words = List.copyOf(words);
    matched = sortedCopy(matched);
    unmatched = sortedCopy(unmatched);
  }

  private static Set<String> sortedCopy(Set<String> names) {
    SortedSet<String> copy = new TreeSet<>(names);
    return Collections.unmodifiableSortedSet(copy);
  }
}
