package dev.gantry.ast;

import java.util.Locale;
import java.util.Optional;

/** The network a RUN step gets ({@code RUN --network=...}). */
public enum NetworkMode {
  DEFAULT,
  NONE,
  HOST;

  /** The Dockerfile spelling, e.g. {@code none}. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The mode spelled {@code value} ({@code default}, {@code none} or {@code host}), if any. */
  public static Optional<NetworkMode> named(String value) {
    for (NetworkMode m : values()) {
      if (m.value().equals(value)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
