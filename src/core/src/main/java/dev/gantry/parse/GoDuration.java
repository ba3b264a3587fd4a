package dev.gantry.parse;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;

/**
 * Parses durations in Go's {@code time.ParseDuration} syntax ({@code 1h30m}, {@code 1.5s},
 * {@code 300ms}, {@code -2us}), as BuildKit reads HEALTHCHECK options.
 */
public final class GoDuration {
  private GoDuration() {}

  private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

  /** The duration, or {@link IllegalArgumentException} with Go's message. */
  public static Duration parse(String text) {
    return Duration.ofNanos(parseNanos(text));
  }

  /** The duration in nanoseconds, or {@link IllegalArgumentException} with Go's message. */
  public static long parseNanos(String text) {
    String s = text;
    boolean neg = false;
    if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
      neg = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return 0;
    }
    if (s.isEmpty()) {
      throw invalid(text);
    }
    BigDecimal total = BigDecimal.ZERO;
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != '.' && (c < '0' || c > '9')) {
        throw invalid(text);
      }
      int start = i;
      while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
        i++;
      }
      boolean pre = i > start;
      String number = s.substring(start, i);
      boolean post = false;
      if (i < s.length() && s.charAt(i) == '.') {
        i++;
        int fs = i;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
          i++;
        }
        post = i > fs;
        number = number + "." + s.substring(fs, i);
      }
      if (!pre && !post) {
        throw invalid(text);
      }
      int us = i;
      while (i < s.length() && s.charAt(i) != '.' && (s.charAt(i) < '0' || s.charAt(i) > '9')) {
        i++;
      }
      String unit = s.substring(us, i);
      if (unit.isEmpty()) {
        throw new IllegalArgumentException("time: missing unit in duration " + quote(text));
      }
      long scale = switch (unit) {
        case "ns" -> 1L;
        case "us", "\u00b5s", "\u03bcs" -> 1_000L;
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        case "h" -> 3_600_000_000_000L;
        default -> throw new IllegalArgumentException(
            "time: unknown unit " + quote(unit) + " in duration " + quote(text));
      };
      String n = number.startsWith(".") ? "0" + number : number;
      total = total.add(new BigDecimal(n.endsWith(".") ? n + "0" : n).multiply(BigDecimal.valueOf(scale)));
      if (total.toBigInteger().compareTo(MAX.add(BigInteger.ONE)) > 0) {
        throw invalid(text);
      }
    }
    BigInteger nanos = total.toBigInteger();
    if (!neg && nanos.compareTo(MAX) > 0) {
      throw invalid(text);
    }
    return neg ? nanos.negate().longValue() : nanos.longValue();
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException("time: invalid duration " + quote(text));
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
