package dev.gantry.builder;

import dev.gantry.model.StepResult;
import dev.gantry.oci.Digest;
import java.util.List;

/**
 * What a build produced: the image's manifest and config digests and how each step went.
 *
 * @param manifestDigest the manifest digest
 * @param configDigest the config digest
 * @param steps every step of the built stages, in the order they finished
 */
public record BuildOutcome(Digest manifestDigest, Digest configDigest, List<StepResult> steps) {
  public BuildOutcome {
    steps = List.copyOf(steps);
  }
}
