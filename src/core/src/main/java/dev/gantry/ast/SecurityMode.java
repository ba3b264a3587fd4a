package dev.gantry.ast;

import java.util.Locale;

/** The security mode of a RUN step ({@code RUN --security=...}). */
public enum SecurityMode {
  SANDBOX,
  INSECURE;

  /** The Dockerfile spelling, e.g. {@code insecure}. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }
}
