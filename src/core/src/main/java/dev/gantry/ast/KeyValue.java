package dev.gantry.ast;

import java.util.Objects;

/**
 * One {@code key=value} pair of an ENV or LABEL instruction, both still unexpanded (quotes and
 * escapes kept as written).
 *
 * <p>This class is immutable and thread-safe.
 *
 * @param key the name as written
 * @param value the value as written
 * @param legacy true for the old {@code ENV KEY value...} form without {@code =}
 */
public record KeyValue(String key, String value, boolean legacy) {
  public KeyValue {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }

  /**
   * Splits {@code key=value} at the first {@code =}; a word without {@code =} is a key with an
   * empty value.
   */
  public static KeyValue parse(String word) {
    int eq = word.indexOf('=');
    return eq < 0 ? new KeyValue(word, "", false) : new KeyValue(word.substring(0, eq), word.substring(eq + 1), false);
  }
}
