package dev.gantry.ast;

import java.util.Locale;

/** The network a RUN step gets ({@code RUN --network=...}). */
public enum NetworkMode {
  DEFAULT,
  NONE,
  HOST;

  /** The Dockerfile spelling, e.g. {@code none}. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }
}
