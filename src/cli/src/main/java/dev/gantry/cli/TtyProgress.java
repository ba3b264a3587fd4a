package dev.gantry.cli;

import dev.gantry.model.BuildEvent;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A live view for terminals: one line per step with its state (waiting, running with a timer,
 * CACHED, DONE with time, ERROR), byte progress and the last lines of output, redrawn in place.
 */
final class TtyProgress extends ProgressRenderer {
  private static final int TAIL = 5;
  private final PrintStream out;
  private final Map<BuildEvent.StepId, Line> lines = new LinkedHashMap<>();
  private final List<String> messages = new ArrayList<>();
  private final long start = System.nanoTime();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "gantry-progress");
    t.setDaemon(true);
    return t;
  });
  private int drawn;
  private final int width = Terminal.columns();

  private static final class Line {
    String state = "waiting";
    long started = System.nanoTime();
    long elapsedMillis = -1;
    String progress = "";
    final List<String> tail = new ArrayList<>();
  }

  TtyProgress(PrintStream out) {
    this.out = out;
    ticker.scheduleAtFixedRate(this::redraw, 100, 100, TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void onEvent(BuildEvent e) {
    if (e instanceof BuildEvent.Message m) {
      messages.add(m.text());
      return;
    }
    if (e.step() == null) {
      return;
    }
    Line line = lines.computeIfAbsent(e.step(), k -> new Line());
    if (e instanceof BuildEvent.Started) {
      line.state = "running";
      line.started = System.nanoTime();
    } else if (e instanceof BuildEvent.CacheMiss m) {
      line.progress = " (cache miss: " + m.reason() + ")";
    } else if (e instanceof BuildEvent.Cached) {
      line.state = "CACHED";
    } else if (e instanceof BuildEvent.Done d) {
      line.state = line.state.equals("CACHED") ? "CACHED" : "DONE";
      line.elapsedMillis = d.elapsed().toMillis();
      line.tail.clear();
    } else if (e instanceof BuildEvent.Failed f) {
      line.state = "ERROR";
      line.tail.add(f.message());
    } else if (e instanceof BuildEvent.Output o) {
      line.tail.add(o.line());
      while (line.tail.size() > TAIL) {
        line.tail.remove(0);
      }
    } else if (e instanceof BuildEvent.Progress p) {
      line.progress = " " + p.what() + " " + Bytes.format(p.done())
          + (p.total() > 0 ? "/" + Bytes.format(p.total()) : "");
    }
  }

  private synchronized void redraw() {
    StringBuilder sb = new StringBuilder();
    if (drawn > 0) {
      sb.append("\r\u001b[").append(drawn).append('A');
    }
    List<String> rows = new ArrayList<>();
    rows.add(String.format("[+] Building %s", PlainProgress.seconds((System.nanoTime() - start) / 1_000_000)));
    for (Map.Entry<BuildEvent.StepId, Line> en : lines.entrySet()) {
      Line l = en.getValue();
      String time = switch (l.state) {
        case "running" -> PlainProgress.seconds((System.nanoTime() - l.started) / 1_000_000);
        case "DONE" -> PlainProgress.seconds(l.elapsedMillis);
        default -> "";
      };
      String state = l.state.equals("DONE") ? "" : l.state + " ";
      rows.add(String.format(" => %s%s%s %s", state.equals("running ") ? "" : state, en.getKey(), l.progress, time).stripTrailing());
      if (l.state.equals("running") || l.state.equals("ERROR")) {
        l.tail.forEach(t -> rows.add("    " + t));
      }
    }
    for (String r : rows) {
      String fitted = r.length() > width - 1 ? r.substring(0, Math.max(0, width - 4)) + "..." : r;
      sb.append("\u001b[2K").append(fitted).append('\n');
    }
    drawn = rows.size();
    out.print(sb);
    out.flush();
  }

  @Override
  void finish() {
    ticker.shutdownNow();
    redraw();
    synchronized (this) {
      messages.forEach(out::println);
    }
    out.flush();
  }
}
