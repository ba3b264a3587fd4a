package dev.gantry.plan;

import dev.gantry.ast.Instruction;
import dev.gantry.ast.SourceRange;
import java.util.Objects;

/**
 * One step of a stage, planned: its cache key is known before anything runs.
 *
 * @param stage the stage's display name ({@code build} or {@code stage-1})
 * @param number 1-based position in the stage
 * @param count number of steps in the stage
 * @param text the instruction as shown in progress output (variables expanded)
 * @param range where the instruction is in the Dockerfile
 * @param key the step's cache key
 * @param action what the step does to the filesystem
 * @param createdBy the history entry's {@code created_by}
 */
public record PlannedStep(String stage, int number, int count, String text, SourceRange range, Instruction instruction,
    CacheKey key, StepAction action, String createdBy) {
  public PlannedStep {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(action, "action");
  }

  /** True when the step never writes a layer. */
  public boolean configOnly() {
    return action instanceof StepAction.ConfigOnly;
  }
}
