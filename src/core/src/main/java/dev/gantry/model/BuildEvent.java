package dev.gantry.model;

import java.time.Duration;

/**
 * Something that happened during a build, delivered to a {@link BuildListener}. Steps are named
 * by their stage and their position, e.g. {@code [build 2/5] COPY src /src}.
 *
 * <p>Implementations are immutable.
 */
public sealed interface BuildEvent {

  /** The step this event belongs to, or null for build-wide events. */
  StepId step();

  /** Identifies one step: stage name (or index), 1-based step number in the stage, step count, text. */
  record StepId(String stage, int number, int count, String text) {
    @Override
    public String toString() {
      return "[" + stage + " " + number + "/" + count + "] " + text;
    }
  }

  /** The plan is ready: every step's key is known, nothing has run. */
  record Planned(int steps) implements BuildEvent {
    @Override
    public StepId step() {
      return null;
    }
  }

  /** A step began executing (its cache key missed). */
  record Started(StepId step) implements BuildEvent {}

  /** A step's result came from the cache. */
  record Cached(StepId step) implements BuildEvent {}

  /** A step missed the cache; {@code reason} says what changed since it was last built there. */
  record CacheMiss(StepId step, String reason) implements BuildEvent {}

  /** A step finished. */
  record Done(StepId step, Duration elapsed) implements BuildEvent {}

  /** A step failed; {@code message} is one line. */
  record Failed(StepId step, String message) implements BuildEvent {}

  /** A line of output from a step (a RUN command's stdout/stderr). */
  record Output(StepId step, String line) implements BuildEvent {}

  /** Bytes moved for a step (layer written, blob pulled or pushed). */
  record Progress(StepId step, String what, long done, long total) implements BuildEvent {}

  /** A message about the build as a whole (warnings, where the image went). */
  record Message(String text) implements BuildEvent {
    @Override
    public StepId step() {
      return null;
    }
  }
}
