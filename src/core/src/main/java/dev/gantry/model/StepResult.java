package dev.gantry.model;

import dev.gantry.oci.Digest;
import java.time.Duration;

/**
 * How one step of a build went.
 *
 * @param step which step
 * @param cacheKey the step's cache key
 * @param cached true when the result came from the cache
 * @param elapsed how long the step took (near zero when cached)
 */
public record StepResult(BuildEvent.StepId step, Digest cacheKey, boolean cached, Duration elapsed) {}
