package dev.gantry.api;

import dev.gantry.model.StepResult;
import dev.gantry.oci.Digest;
import java.time.Duration;
import java.util.List;

/**
 * What a build produced.
 *
 * @param manifestDigest the image manifest's digest (the image ID users push and pull by)
 * @param configDigest the image config's digest
 * @param tags the references the image was tagged with
 * @param steps every executed or cached step of the stages that were built, in order
 * @param elapsed the whole build's wall time
 */
public record BuildResult(
    Digest manifestDigest, Digest configDigest, List<String> tags, List<StepResult> steps, Duration elapsed) {
  public BuildResult {
    tags = List.copyOf(tags);
    steps = List.copyOf(steps);
  }

  /** How many steps came from the cache. */
  public long cachedSteps() {
    return steps.stream().filter(StepResult::cached).count();
  }
}
