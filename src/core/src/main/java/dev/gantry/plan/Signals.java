package dev.gantry.plan;

import java.util.Locale;
import java.util.Set;

/** Validates STOPSIGNAL values as moby's signal.ParseSignal does (Linux names and numbers). */
final class Signals {
  private static final Set<String> NAMES = Set.of("ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE",
      "HUP", "ILL", "INT", "IO", "IOT", "KILL", "PIPE", "POLL", "PROF", "PWR", "QUIT", "SEGV",
      "STKFLT", "STOP", "SYS", "TERM", "TRAP", "TSTP", "TTIN", "TTOU", "URG", "USR1", "USR2",
      "VTALRM", "WINCH", "XCPU", "XFSZ", "RTMIN", "RTMAX", "UNUSED");

  private Signals() {}

  /** True when {@code raw} names a signal ({@code SIGTERM}, {@code term}, {@code 15}, {@code RTMIN+3}). */
  static boolean valid(String raw) {
    try {
      int n = Integer.parseInt(raw);
      return n >= 1 && n <= 64;
    } catch (NumberFormatException e) {
      // a name
    }
    String name = raw.toUpperCase(Locale.ROOT);
    if (name.startsWith("SIG")) {
      name = name.substring(3);
    }
    if (NAMES.contains(name)) {
      return true;
    }
    for (String rt : new String[] {"RTMIN+", "RTMAX-"}) {
      if (name.startsWith(rt)) {
        try {
          int n = Integer.parseInt(name.substring(rt.length()));
          return n >= 1 && n <= 15;
        } catch (NumberFormatException e) {
          return false;
        }
      }
    }
    return false;
  }
}
