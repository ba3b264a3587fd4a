package dev.gantry.api;

import java.util.Objects;

/**
 * A cache export of a build ({@code --cache-to}): where the results go and which steps.
 *
 * @param location where the cache is written
 * @param mode which steps are exported
 */
public record CacheExport(CacheLocation location, Mode mode) {
  /** Which steps a cache export holds. */
  public enum Mode {
    /** The steps of the result image: its stage and the stages it is built {@code FROM} ({@code mode=min}). */
    MIN,
    /** The steps of every stage the build ran ({@code mode=max}). */
    MAX
  }

  public CacheExport {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(mode, "mode");
  }

  /**
   * Parses a {@code --cache-to} value: {@code type=registry,ref=REF[,mode=min|max]} or
   * {@code type=local,dest=DIR[,mode=min|max]} (default {@code mode=min}).
   *
   * @throws IllegalArgumentException naming what is wrong and the accepted forms
   */
  public static CacheExport parse(String spec) {
    return CacheSpecs.parse("--cache-to", spec, true);
  }
}
