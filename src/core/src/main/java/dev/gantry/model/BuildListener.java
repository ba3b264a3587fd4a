package dev.gantry.model;

/**
 * Receives {@link BuildEvent}s as a build runs. Called from build threads, possibly concurrently
 * for steps of independent stages: implementations must be thread-safe.
 */
@FunctionalInterface
public interface BuildListener {
  /** A listener that ignores every event. */
  BuildListener NONE = e -> {};

  /** Called once per event. Must not throw. */
  void onEvent(BuildEvent event);
}
