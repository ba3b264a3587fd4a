package dev.gantry.expand;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** An {@link Env} over an insertion-ordered map that nobody else holds; immutable. */
final class MapEnv implements Env {
  static final MapEnv EMPTY = new MapEnv(new LinkedHashMap<>());

  private final Map<String, String> values;

  MapEnv(LinkedHashMap<String, String> values) {
    values.forEach((k, v) -> {
      Objects.requireNonNull(k, "variable name");
      Objects.requireNonNull(v, () -> "value of " + k);
    });
    this.values = Collections.unmodifiableMap(values);
  }

  @Override
  public Optional<String> lookup(String name) {
    return Optional.ofNullable(values.get(name));
  }

  @Override
  public Set<String> names() {
    return values.keySet();
  }

  @Override
  public String toString() {
    return "Env" + values;
  }
}
