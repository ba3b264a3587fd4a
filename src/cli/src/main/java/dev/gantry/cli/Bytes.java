package dev.gantry.cli;

import java.util.Locale;

/** Human-readable byte counts (1.2 MiB). */
final class Bytes {
  private Bytes() {}

  static String format(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int i = -1;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
  }
}
