package dev.gantry.plan;

import dev.gantry.oci.ContainerConfig;
import dev.gantry.oci.Platform;
import java.util.List;
import java.util.Objects;

/**
 * A stage of the plan: its base, its steps and the key of its result.
 *
 * @param index the stage's index in the Dockerfile
 * @param name display name: the {@code AS} name, or {@code stage-N}
 * @param base what the stage starts from
 * @param baseImage the resolved base image when {@code base} is an image or a named context, else null
 * @param baseKey the key the first step builds on
 * @param resultConfig the container config of the stage's result
 * @param author the image author of the stage's result (MAINTAINER, else the base's)
 * @param steps the steps, ONBUILD triggers of the base first
 * @param platform the stage's platform
 */
public record PlannedStage(int index, String name, StageRef base, BaseImage baseImage, CacheKey baseKey,
    ContainerConfig resultConfig, String author, List<PlannedStep> steps, Platform platform) {
  public PlannedStage {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(baseKey, "baseKey");
    Objects.requireNonNull(resultConfig, "resultConfig");
    steps = List.copyOf(steps);
  }

  /** The key of the stage's result: its last step's key, or the base key when it has no steps. */
  public CacheKey resultKey() {
    return steps.isEmpty() ? baseKey : steps.get(steps.size() - 1).key();
  }
}
