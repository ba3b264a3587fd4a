package dev.gantry.maven;

import dev.gantry.model.BuildEvent;
import dev.gantry.model.BuildListener;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.maven.plugin.logging.Log;

/**
 * Writes build events to the Maven log: one info line per finished step
 * ({@code [build 2/5] COPY app.jar /app/ DONE 0.4s} or {@code ... CACHED}), warnings as warnings,
 * failures as errors, and the rest (step starts, byte counts) at debug level.
 *
 * <p>Thread-safe: steps of independent stages may report concurrently.
 */
final class MavenLogListener implements BuildListener {
  private static final String WARNING = "warning: ";

  private final Log log;
  private final Set<BuildEvent.StepId> cached = ConcurrentHashMap.newKeySet();

  MavenLogListener(Log log) {
    this.log = log;
  }

  @Override
  public void onEvent(BuildEvent event) {
    if (event instanceof BuildEvent.Cached c) {
      cached.add(c.step());
    } else if (event instanceof BuildEvent.Done d) {
      boolean hit = cached.remove(d.step());
      log.info(d.step() + (hit ? " CACHED" : " DONE " + seconds(d.elapsed())));
    } else if (event instanceof BuildEvent.Failed f) {
      log.error(f.step() + " ERROR " + f.message());
    } else if (event instanceof BuildEvent.Output o) {
      log.info(o.step() + " | " + o.line());
    } else if (event instanceof BuildEvent.Message m) {
      if (m.text().startsWith(WARNING)) {
        log.warn(m.text().substring(WARNING.length()));
      } else {
        log.info(m.text());
      }
    } else if (log.isDebugEnabled()) {
      debug(event);
    }
  }

  private void debug(BuildEvent event) {
    if (event instanceof BuildEvent.Planned p) {
      log.debug("planned " + p.steps() + " steps");
    } else if (event instanceof BuildEvent.Started s) {
      log.debug(s.step() + " started");
    } else if (event instanceof BuildEvent.Progress p) {
      log.debug(p.step() + " " + p.what() + " " + p.done() + "/" + p.total() + " bytes");
    }
  }

  /** {@code 0.4s}: tenths of a second, always with a dot. */
  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1fs", d.toNanos() / 1e9);
  }
}
