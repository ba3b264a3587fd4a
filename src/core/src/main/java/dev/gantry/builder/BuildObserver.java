package dev.gantry.builder;

import java.time.Duration;

/**
 * Receives what the builder does, step by step. Called from build threads, possibly concurrently
 * for independent stages: implementations must be thread-safe and must not throw.
 */
public interface BuildObserver {
  /** An observer that ignores everything. */
  BuildObserver NONE = new BuildObserver() {};

  /** The plan is ready. */
  default void planned(int steps) {}

  /** A step began executing. */
  default void started(StepRef step) {}

  /** A step's result came from the cache. */
  default void cached(StepRef step) {}

  /** A step finished (executed or cached). */
  default void done(StepRef step, Duration elapsed) {}

  /** A step missed the cache, and what changed since the last build of that step. */
  default void missed(StepRef step, String reason) {}

  /** A step failed. */
  default void failed(StepRef step, String message) {}

  /** A line of output (stdout or stderr, without its line break) of a running step's command. */
  default void output(StepRef step, String line) {}

  /** A build-wide message (a warning, where the image went). */
  default void message(String text) {}

  /**
   * Names a step in progress output.
   *
   * @param stage the stage's display name
   * @param number 1-based step number in the stage
   * @param count the stage's step count
   * @param text the instruction as shown
   */
  record StepRef(String stage, int number, int count, String text) {}
}
