package dev.gantry.ast;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses human-readable memory sizes ({@code 64m}, {@code 1GiB}) in binary units, as Docker does. */
final class ByteSizes {
  private ByteSizes() {}

  private static final Pattern SIZE = Pattern.compile("^(\\d+(\\.\\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$");

  static long ramInBytes(String v, String key) {
    Matcher m = SIZE.matcher(v);
    if (!m.matches()) {
      throw new IllegalArgumentException("invalid value for " + key + ": " + v);
    }
    double n;
    try {
      n = Double.parseDouble(m.group(1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid value for " + key + ": " + v);
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
    return (long) (n * unit);
  }
}
