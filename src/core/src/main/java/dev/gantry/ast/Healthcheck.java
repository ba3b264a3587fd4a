package dev.gantry.ast;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A HEALTHCHECK instruction: {@code NONE}, or a command with timing options, in the form of the
 * image config's {@code Healthcheck} object.
 *
 * <p>This class is immutable and thread-safe. Durations are zero when not given (the runtime's
 * default applies).
 *
 * @param node the syntax node
 * @param test {@code ["NONE"]}, {@code ["CMD", args...]} (exec form) or
 *     {@code ["CMD-SHELL", line]} (shell form)
 * @param interval {@code --interval}
 * @param timeout {@code --timeout}
 * @param startPeriod {@code --start-period}
 * @param startInterval {@code --start-interval}
 * @param retries {@code --retries}, 0 when not given
 */
public record Healthcheck(SyntaxNode node, List<String> test, Duration interval, Duration timeout,
    Duration startPeriod, Duration startInterval, int retries) implements Instruction {
  public Healthcheck {
    Objects.requireNonNull(node, "node");
    test = List.copyOf(test);
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(startPeriod, "startPeriod");
    Objects.requireNonNull(startInterval, "startInterval");
  }

  /** True for {@code HEALTHCHECK NONE}, which disables any inherited health check. */
  public boolean isNone() {
    return test.size() == 1 && test.get(0).equals("NONE");
  }
}
