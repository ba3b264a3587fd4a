package dev.gantry.cli;

import dev.gantry.model.BuildEvent;
import dev.gantry.model.BuildListener;
import java.io.PrintStream;

/** Turns build events into text on the terminal: plain lines, a live TTY view, or nothing. */
abstract class ProgressRenderer implements BuildListener {

  /** Picks a renderer: {@code auto} is {@code tty} on a terminal, else {@code plain}. */
  static ProgressRenderer create(String mode, PrintStream err) {
    return switch (mode) {
      case "quiet" -> new Quiet();
      case "plain" -> new PlainProgress(err);
      case "tty" -> new TtyProgress(err);
      case "auto" -> System.console() != null && !"dumb".equals(System.getenv("TERM"))
          ? new TtyProgress(err) : new PlainProgress(err);
      default -> throw new IllegalArgumentException("--progress must be auto, plain, tty or quiet, not '" + mode + "'");
    };
  }

  /** Called once when the build ends (success or failure): flush and restore the terminal. */
  abstract void finish();

  /** Renders nothing. */
  static final class Quiet extends ProgressRenderer {
    @Override
    public void onEvent(BuildEvent event) {}

    @Override
    void finish() {}
  }
}
