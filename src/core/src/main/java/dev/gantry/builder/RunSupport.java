package dev.gantry.builder;

import dev.gantry.ast.Diagnostic;
import dev.gantry.ast.NetworkMode;
import dev.gantry.ast.Dockerfile;
import dev.gantry.ast.DockerfileException;
import dev.gantry.exec.IsolationProbe;
import dev.gantry.exec.RunIsolation;
import dev.gantry.plan.BuildPlan;
import dev.gantry.plan.PlannedStage;
import dev.gantry.plan.PlannedStep;
import dev.gantry.plan.StepAction;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides, before any work, how the RUN steps of a plan will run ({@link IsolationProbe}), and
 * fails at the first RUN that cannot run that way, saying what to change.
 */
final class RunSupport {
  private RunSupport() {}

  /**
   * The isolation of the plan's RUN steps, or null when it has none.
   *
   * @throws DockerfileException when a RUN cannot run here (positioned, with a hint)
   * @throws NamespaceRequired when the build must first run again inside a user namespace
   */
  static RunIsolation check(Dockerfile df, BuildPlan plan, boolean allowInsecure, RunIsolation.Request request)
      throws NamespaceRequired {
    List<Diagnostic> problems = new ArrayList<>();
    RunIsolation chosen = null;
    for (PlannedStage s : plan.stages()) {
      for (PlannedStep step : s.steps()) {
        if (!(step.action() instanceof StepAction.RunCommand r)) {
          continue;
        }
        if (r.insecure() && !allowInsecure) {
          throw new DockerfileException(List.of(Diagnostic.error(df.file(), step.range(),
              "RUN --security=insecure is not allowed: it runs the command with every capability of the host",
              "allow it for this build with --allow security.insecure")));
        }
        if (chosen == null) {
          IsolationProbe.Choice c = IsolationProbe.choose(request, IsolationProbe.facts(true));
          if (c.isolation().isEmpty()) {
            throw new DockerfileException(List.of(Diagnostic.error(df.file(), step.range(),
                "cannot execute RUN here: " + c.problem(), "RUN-free Dockerfiles build everywhere")));
          }
          chosen = c.isolation().get();
        }
        if (chosen.mode() == RunIsolation.Mode.CHROOT) {
          String why = chrootLimit(r);
          if (why != null) {
            problems.add(Diagnostic.error(df.file(), step.range(), "RUN " + why + " cannot run with"
                + " --isolation chroot (no namespaces, no mounts)", "build where RUN can run as root or rootless,"
                + " or drop the option from this step"));
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new DockerfileException(problems);
    }
    if (chosen != null && chosen.mustEnter()) {
      throw new NamespaceRequired(chosen);
    }
    return chosen;
  }

  /** The option of {@code r} that chroot mode cannot give, or null. */
  private static String chrootLimit(StepAction.RunCommand r) {
    if (!r.mounts().isEmpty()) {
      return "--mount";
    }
    if (r.network() == NetworkMode.NONE) {
      return "--network=none";
    }
    return r.insecure() ? "--security=insecure" : null;
  }
}
