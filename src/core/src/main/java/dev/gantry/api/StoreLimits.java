package dev.gantry.api;

import dev.gantry.ast.ByteSizes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes and ages of store management as users write them, and the default bound of a store.
 *
 * <p>After each build, Gantry evicts least recently used cache data (never tagged images) until the
 * store holds at most its bound: {@link BuildRequest.Builder#storeMax}, else the environment
 * variable {@code GANTRY_STORE_MAX}, else {@link #defaultBound} (10% of the store's file system, at
 * least 1 GiB and at most 20 GiB). {@code off} turns the bound off.
 */
public final class StoreLimits {
  /** The environment variable holding a store bound. */
  public static final String ENV = "GANTRY_STORE_MAX";
  /** No bound. */
  public static final long OFF = Long.MAX_VALUE;
  private static final long GIB = 1L << 30;
  private static final Pattern AGE = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

  private StoreLimits() {}

  /**
   * Parses a size as docker does ({@code 500MB}, {@code 2GiB}, {@code 1.5g}, {@code 1024}): the
   * units k, m, g, t, p are powers of 1024, with or without {@code B} or {@code iB}.
   */
  public static long parseSize(String text) {
    return ByteSizes.bytes(text.trim()).orElseThrow(() -> new IllegalArgumentException("not a size: \"" + text
        + "\" (write e.g. 500MB, 2GiB or 1073741824)"));
  }

  /** A store bound: a size, or {@code off} for {@link #OFF}. */
  public static long parseBound(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    return t.equals("off") || t.equals("none") ? OFF : parseSize(t);
  }

  /** Parses an age as Go durations are written: {@code 24h}, {@code 30m}, {@code 1h30m}, {@code 90s}, {@code 7d}. */
  public static Duration parseDuration(String text) {
    String t = text.trim();
    Matcher m = AGE.matcher(t);
    long millis = 0;
    int at = 0;
    while (m.find() && m.start() == at) {
      double n = Double.parseDouble(m.group(1));
      long unit = switch (m.group(2)) {
        case "ms" -> 1;
        case "s" -> 1000;
        case "m" -> 60_000;
        case "h" -> 3_600_000;
        default -> 86_400_000;
      };
      millis += (long) (n * unit);
      at = m.end();
    }
    if (at == 0 || at != t.length()) {
      throw new IllegalArgumentException("not a duration: \"" + text + "\" (write e.g. 24h, 30m or 1h30m)");
    }
    return Duration.ofMillis(millis);
  }

  /** 10% of the file system holding {@code store} (or its nearest existing parent), within 1 to 20 GiB. */
  public static long defaultBound(Path store) {
    Path p = store.toAbsolutePath();
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    try {
      long total = p == null ? 0 : Files.getFileStore(p).getTotalSpace();
      return Math.max(GIB, Math.min(20 * GIB, total / 10));
    } catch (IOException e) {
      return GIB;
    }
  }

  /** The bound of {@code store}: {@code explicit} when given, else {@code GANTRY_STORE_MAX} in {@code env}, else the default. */
  static long bound(Long explicit, Map<String, String> env, Path store) {
    if (explicit != null) {
      return explicit;
    }
    String value = env.get(ENV);
    if (value != null && !value.isBlank()) {
      try {
        return parseBound(value);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(ENV + ": " + e.getMessage(), e);
      }
    }
    return defaultBound(store);
  }
}
