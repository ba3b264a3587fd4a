package dev.gantry.expand;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A set of named variables that expansion reads: each name maps to a value or is absent.
 *
 * <p>A name that is present with the empty value is "set but null" in shell terms, which matters
 * for the {@code :-}, {@code :+} and {@code :?} operators. Names are case-sensitive.
 */
@FunctionalInterface
public interface Env {

  /** The value of {@code name}, or empty when the variable is not set. */
  Optional<String> lookup(String name);

  /** The names this environment knows, in a stable order; empty when it cannot list them. */
  default Set<String> names() {
    return Set.of();
  }

  /** An environment with no variables. */
  static Env empty() {
    return MapEnv.EMPTY;
  }

  /** An environment backed by a copy of {@code values} (no null keys or values). */
  static Env of(Map<String, String> values) {
    Objects.requireNonNull(values, "values");
    return new MapEnv(new LinkedHashMap<>(values));
  }

  /**
   * An environment from {@code NAME=VALUE} entries, as a process environment is written: each entry
   * is cut at its first {@code =}; an entry without one sets the name to the empty value; when a
   * name repeats, the last entry wins.
   */
  static Env fromList(List<String> entries) {
    LinkedHashMap<String, String> values = new LinkedHashMap<>();
    for (String entry : entries) {
      int eq = entry.indexOf('=');
      String name = eq < 0 ? entry : entry.substring(0, eq);
      String value = eq < 0 ? "" : entry.substring(eq + 1);
      values.remove(name);
      values.put(name, value);
    }
    return new MapEnv(values);
  }
}
