package dev.gantry.builder;

import dev.gantry.oci.Digest;
import java.time.Duration;
import java.util.List;

/**
 * What a build produced: the image's manifest and config digests and how each step went.
 *
 * @param manifestDigest the manifest digest
 * @param configDigest the config digest
 * @param steps every step of the built stages
 */
public record BuildOutcome(Digest manifestDigest, Digest configDigest, List<StepOutcome> steps) {
  public BuildOutcome {
    steps = List.copyOf(steps);
  }

  /**
   * How one step went.
   *
   * @param step the step
   * @param cacheKey its cache key
   * @param cached whether its result came from the cache
   * @param elapsed how long it took
   */
  public record StepOutcome(BuildObserver.StepRef step, Digest cacheKey, boolean cached, Duration elapsed) {}
}
