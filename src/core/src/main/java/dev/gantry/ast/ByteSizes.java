package dev.gantry.ast;

import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses human-readable sizes ({@code 64m}, {@code 1GiB}, {@code 1.5g}, {@code 1024}) in binary units,
 * as Docker's {@code units.RAMInBytes} does: k, m, g, t and p are powers of 1024, with or without
 * {@code B} or {@code iB}. One parser for RUN mount sizes and the store's bounds.
 */
public final class ByteSizes {
  private ByteSizes() {}

  private static final Pattern SIZE = Pattern.compile("^(\\d+(\\.\\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$");

  /** {@code v} in bytes, or empty when it is not a size or too large for a {@code long}. */
  public static OptionalLong bytes(String v) {
    Matcher m = SIZE.matcher(v);
    if (!m.matches()) {
      return OptionalLong.empty();
    }
    double n;
    try {
      n = Double.parseDouble(m.group(1));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
    long unit = 1;
    if (m.group(3) != null) {
      unit = switch (m.group(3).toLowerCase(Locale.ROOT)) {
        case "k" -> 1L << 10;
        case "m" -> 1L << 20;
        case "g" -> 1L << 30;
        case "t" -> 1L << 40;
        default -> 1L << 50;
      };
    }
    double bytes = n * unit;
    return bytes >= Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of((long) bytes);
  }

  static long ramInBytes(String v, String key) {
    return bytes(v).orElseThrow(() -> new IllegalArgumentException("invalid value for " + key + ": " + v));
  }
}
