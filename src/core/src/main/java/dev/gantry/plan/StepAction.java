package dev.gantry.plan;

import dev.gantry.ast.NetworkMode;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What executing a planned step means for the filesystem. */
public sealed interface StepAction {

  /** The step only changes the image config (ENV, LABEL, CMD, ...): no layer. */
  record ConfigOnly() implements StepAction {}

  /** COPY or ADD: a layer with the copied files. */
  record CopyFiles(CopySpec spec) implements StepAction {
    public CopyFiles {
      Objects.requireNonNull(spec, "spec");
    }
  }

  /** WORKDIR: create the directory (and parents), owned by {@code user} when set; a layer if anything was created. */
  record MakeDirectory(String path, String user) implements StepAction {
    public MakeDirectory {
      Objects.requireNonNull(path, "path");
    }
  }

  /**
   * RUN: execute a command in a container over the parent's filesystem.
   *
   * @param args the full argument vector (shell form already wrapped in SHELL)
   * @param env the process environment ({@code NAME=value}): image ENV plus the ARGs in scope
   * @param files scripts mounted read-only and executable into the container (absolute path -> content):
   *     a RUN whose only argument is a heredoc starting with {@code #!} runs it from {@code /dev/pipes/NAME}
   * @param network the {@code --network} mode (the build's when the RUN names none)
   * @param mounts the {@code --mount}s, planned, in order
   * @param insecure {@code --security=insecure}: run with all capabilities when the build allows it
   */
  record RunCommand(List<String> args, List<String> env, String user, String workdir, Map<String, String> files,
      NetworkMode network, List<RunMount> mounts, boolean insecure) implements StepAction {
    public RunCommand {
      args = List.copyOf(args);
      env = List.copyOf(env);
      files = Map.copyOf(files);
      Objects.requireNonNull(network, "network");
      mounts = List.copyOf(mounts);
    }
  }
}
