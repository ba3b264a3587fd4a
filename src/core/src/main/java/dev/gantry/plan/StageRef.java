package dev.gantry.plan;

import java.util.Objects;

/**
 * What a FROM or a {@code COPY --from} points at, once resolved: nothing ({@code scratch}), another
 * stage, a named build context, or an image reference.
 */
public sealed interface StageRef {
  /** {@code FROM scratch}: an empty filesystem and config. */
  record Scratch() implements StageRef {}

  /** Another stage of the same Dockerfile, by index. */
  record OfStage(int index) implements StageRef {}

  /** A named build context given with {@code --build-context NAME=...}. */
  record OfContext(String name) implements StageRef {
    public OfContext {
      Objects.requireNonNull(name, "name");
    }
  }

  /** An image reference (pulled from a registry). */
  record OfImage(String reference) implements StageRef {
    public OfImage {
      Objects.requireNonNull(reference, "reference");
    }
  }
}
