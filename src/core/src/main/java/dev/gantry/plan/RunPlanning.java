package dev.gantry.plan;

import dev.gantry.ast.Heredoc;
import dev.gantry.ast.Run;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Plans a RUN instruction: its argument vector, environment and history text. */
final class RunPlanning {
  private RunPlanning() {}

  static StepOutcome plan(Run r, StageState state, PlanContext ctx) {
    List<String> args = new ArrayList<>(r.command().args());
    Map<String, String> files = new LinkedHashMap<>();
    List<Heredoc> docs = r.command().files();
    if (!docs.isEmpty() && r.command().prependShell() && !args.isEmpty()) {
      StringBuilder b = new StringBuilder(args.get(0));
      for (Heredoc h : docs) {
        b.append('\n').append(h.content()).append(h.name());
      }
      args = List.of(b.toString());
    }
    if (r.command().prependShell()) {
      args = Metadata.withShell(state.config, args);
    }
    List<String> env = new ArrayList<>();
    state.env.forEach((k, v) -> env.add(k + "=" + v));
    String createdBy = "RUN " + commandString(args, state) + " # buildkit";
    Map<String, Object> canonical = new TreeMap<>();
    canonical.put("op", "RUN");
    canonical.put("args", args);
    canonical.put("mounts", r.mounts().stream().map(m -> new TreeMap<>(m.options())).toList());
    canonical.put("network", r.network().toString());
    canonical.put("security", r.security().toString());
    StepAction action = new StepAction.RunCommand(args, env, state.config.user(), state.config.workingDir(), files);
    return new StepOutcome("RUN " + String.join(" ", r.command().args()), canonical, action, createdBy);
  }

  /** BuildKit's history text: {@code |N K=V ...} for the ARGs in scope, then the arguments. */
  private static String commandString(List<String> args, StageState state) {
    List<String> buildEnv = new ArrayList<>();
    state.args.declared().forEach((k, v) -> {
      if (v != null) {
        buildEnv.add(k + "=" + state.env.getOrDefault(k, v));
      }
    });
    List<String> all = new ArrayList<>();
    if (!buildEnv.isEmpty()) {
      all.add("|" + buildEnv.size());
      all.addAll(buildEnv);
    }
    all.addAll(args);
    return String.join(" ", all);
  }
}
