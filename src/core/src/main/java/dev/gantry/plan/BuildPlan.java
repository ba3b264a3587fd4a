package dev.gantry.plan;

import dev.gantry.ast.Dockerfile;
import java.util.List;
import java.util.Objects;

/**
 * The whole plan of a build: the stages the target needs, in an order they can be built in (each
 * after the stages it depends on), every step with its cache key. Nothing has run yet.
 *
 * @param dockerfile the Dockerfile the plan is for
 * @param stages the stages to build, the target last
 * @param warnings messages for the user (unused build args, ...)
 */
public record BuildPlan(Dockerfile dockerfile, List<PlannedStage> stages, List<String> warnings) {
  public BuildPlan {
    Objects.requireNonNull(dockerfile, "dockerfile");
    stages = List.copyOf(stages);
    warnings = List.copyOf(warnings);
  }

  /** The stage whose result is the image. */
  public PlannedStage target() {
    return stages.get(stages.size() - 1);
  }

  /** The planned stage with Dockerfile index {@code index}. */
  public PlannedStage stage(int index) {
    return stages.stream().filter(s -> s.index() == index).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("stage " + index + " is not in the plan"));
  }

  /** Number of steps over all stages. */
  public int stepCount() {
    return stages.stream().mapToInt(s -> s.steps().size()).sum();
  }

  /** A readable listing: one line per step with its key, as {@code gantry build --plan} prints. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    for (PlannedStage s : stages) {
      sb.append("stage ").append(s.name()).append(" from ").append(s.base()).append('\n');
      for (PlannedStep p : s.steps()) {
        sb.append("  ").append(p.number()).append('/').append(p.count()).append(' ')
            .append(p.key().digest().shortHex()).append(' ').append(p.text()).append('\n');
      }
    }
    return sb.toString();
  }
}
