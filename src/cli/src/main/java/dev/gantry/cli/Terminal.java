package dev.gantry.cli;

import java.io.File;
import java.util.concurrent.TimeUnit;

/** Facts about the controlling terminal. */
final class Terminal {
  private Terminal() {}

  /** The terminal's width in columns: {@code $COLUMNS}, else {@code stty size}, else 80. */
  static int columns() {
    String env = System.getenv("COLUMNS");
    if (env != null) {
      try {
        return Math.max(20, Integer.parseInt(env.trim()));
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    try {
      Process p = new ProcessBuilder("stty", "size").redirectInput(ProcessBuilder.Redirect.from(new File("/dev/tty")))
          .redirectErrorStream(true).start();
      if (p.waitFor(1, TimeUnit.SECONDS) && p.exitValue() == 0) {
        String[] parts = new String(p.getInputStream().readAllBytes()).trim().split("\\s+");
        if (parts.length == 2) {
          return Math.max(20, Integer.parseInt(parts[1]));
        }
      }
    } catch (Exception e) {
      // not a terminal
    }
    return 80;
  }
}
