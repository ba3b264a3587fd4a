package dev.gantry.plan;

import dev.gantry.ast.Heredoc;
import dev.gantry.ast.NetworkMode;
import dev.gantry.ast.Run;
import dev.gantry.ast.SecurityMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/** Plans a RUN instruction: its argument vector, environment and history text. */
final class RunPlanning {
  /** A line that is nothing but one heredoc opener, e.g. {@code <<EOF}, {@code <<-"EOF"} (BuildKit's reHeredoc, one word). */
  private static final Pattern SINGLE_HEREDOC = Pattern.compile("^\\d*<<-?\\s*[^<\\s]+$");
  private static final Pattern LEADING_TABS = Pattern.compile("(?m)^\t+");

  private RunPlanning() {}

  static StepOutcome plan(Run r, StageState state, PlanContext ctx, int stageIndex, UnaryOperator<String> expand) {
    List<String> args = new ArrayList<>(r.command().args());
    Map<String, String> files = new LinkedHashMap<>();
    List<Heredoc> docs = r.command().files();
    if (!docs.isEmpty() && r.command().prependShell() && args.size() == 1) {
      args = heredocArgs(args.get(0), docs, files);
    }
    if (r.command().prependShell()) {
      args = Metadata.withShell(state.config, args);
    }
    List<String> env = state.processEnv();
    String createdBy = "RUN " + commandString(args, state) + " # buildkit";
    Map<String, Object> canonical = new TreeMap<>();
    canonical.put("op", "RUN");
    canonical.put("args", args);
    RunMountPlanning.Planned mounts = RunMountPlanning.plan(r, stageIndex, state.config.workingDir(), expand, ctx);
    canonical.put("mounts", mounts.canonical());
    NetworkMode network = r.network() == NetworkMode.DEFAULT ? ctx.options().defaultNetwork() : r.network();
    canonical.put("network", network.value());
    canonical.put("security", r.security().toString());
    canonical.put("files", new TreeMap<>(files));
    StepAction action = new StepAction.RunCommand(args, env, state.config.user(), state.config.workingDir(), files,
        network, mounts.mounts(), r.security() == SecurityMode.INSECURE);
    return new StepOutcome("RUN " + String.join(" ", r.command().args()), canonical, action, createdBy);
  }

  /**
   * The arguments of a shell-form RUN with heredocs, as BuildKit's dispatchRun makes them: when the
   * whole command is one heredoc ({@code RUN <<EOF}), its body (tabs stripped for {@code <<-}) is the
   * command, or, when it starts with {@code #!}, a script run from {@code /dev/pipes/NAME}; otherwise
   * the heredocs are put back after the line for the shell to read.
   */
  private static List<String> heredocArgs(String line, List<Heredoc> docs, Map<String, String> files) {
    if (SINGLE_HEREDOC.matcher(line).matches()) {
      Heredoc h = docs.get(0);
      String data = h.chomp() ? LEADING_TABS.matcher(h.content()).replaceAll("") : h.content();
      if (data.startsWith("#!")) {
        String path = "/dev/pipes/" + h.name();
        files.put(path, data);
        return List.of(path);
      }
      return List.of(data);
    }
    StringBuilder b = new StringBuilder(line);
    for (Heredoc h : docs) {
      b.append('\n').append(h.content()).append(h.name());
    }
    return List.of(b.toString());
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
