package dev.gantry.cli;

import dev.gantry.model.BuildEvent;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** One line per event, numbered per step like BuildKit's plain progress: for CI logs. */
final class PlainProgress extends ProgressRenderer {
  private final PrintStream out;
  private final Map<BuildEvent.StepId, Integer> numbers = new HashMap<>();

  PlainProgress(PrintStream out) {
    this.out = out;
  }

  @Override
  public synchronized void onEvent(BuildEvent e) {
    if (e instanceof BuildEvent.Planned p) {
      out.println("planned " + p.steps() + " step(s)");
    } else if (e instanceof BuildEvent.Started s) {
      out.println(tag(s.step()) + s.step());
    } else if (e instanceof BuildEvent.Cached c) {
      out.println(tag(c.step()) + c.step());
      out.println(tag(c.step()) + "CACHED");
    } else if (e instanceof BuildEvent.CacheMiss m) {
      out.println(tag(m.step()) + "cache miss: " + m.reason());
    } else if (e instanceof BuildEvent.Done d) {
      out.println(tag(d.step()) + "DONE " + seconds(d.elapsed().toMillis()));
    } else if (e instanceof BuildEvent.Failed f) {
      out.println(tag(f.step()) + "ERROR: " + f.message());
    } else if (e instanceof BuildEvent.Output o) {
      out.println(tag(o.step()) + o.line());
    } else if (e instanceof BuildEvent.Progress p) {
      out.println(tag(p.step()) + p.what() + " " + Bytes.format(p.done())
          + (p.total() > 0 ? " / " + Bytes.format(p.total()) : ""));
    } else if (e instanceof BuildEvent.Message m) {
      out.println(m.text());
    }
    out.flush();
  }

  private String tag(BuildEvent.StepId step) {
    return "#" + numbers.computeIfAbsent(step, k -> numbers.size() + 1) + " ";
  }

  static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
  }

  @Override
  void finish() {
    out.flush();
  }
}
