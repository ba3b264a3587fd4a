package dev.gantry.builder;

import dev.gantry.exec.ContainerProcess;
import dev.gantry.exec.RunExecutor;
import dev.gantry.exec.UserNamespace;
import dev.gantry.layer.UnmappedOwnerException;
import dev.gantry.model.BuildEvent;
import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.plan.StepAction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Executes one RUN: runs the command in a container over the stage's layers (see
 * {@link RunExecutor}), streams its output lines to the listener, and turns a non-zero exit into a
 * step failure with the exit code and the last output lines.
 */
final class RunStep {
  private final BuildSession session;
  private final BuildEvent.StepId ref;

  RunStep(BuildSession session, BuildEvent.StepId ref) {
    this.session = session;
    this.ref = ref;
  }

  /**
   * Runs {@code cmd} over {@code layers}, fetching those the store lacks (indexed as they stream in
   * only when {@code index}); the result holds the entries of its changes and its upper directory.
   */
  RunExecutor.Result run(StepAction.RunCommand cmd, List<Descriptor> layers, List<Digest> diffIds, boolean index)
      throws IOException, StepException {
    session.importBlobs(layers, diffIds, index);
    ContainerProcess.Network network = switch (cmd.network()) {
      case DEFAULT -> ContainerProcess.Network.DEFAULT;
      case HOST -> ContainerProcess.Network.HOST;
      case NONE -> ContainerProcess.Network.NONE;
    };
    Path work = Files.createTempDirectory(session.scratch, "run");
    RunExecutor.Result r;
    try {
      r = RunMounts.run(session, cmd, work, (mounts, env) -> {
        RunExecutor.Request req = new RunExecutor.Request(cmd.args(), env, cmd.user(), cmd.workdir(), network,
            cmd.files(), mounts, cmd.insecure());
        return session.runExecutor().run(layers, diffIds, req, work, line -> session.listener.onEvent(new BuildEvent.Output(ref, line)));
      });
    } catch (IllegalArgumentException e) {
      throw new StepException(e.getMessage(), "add the user to /etc/passwd (and the group to /etc/group) in an"
          + " earlier step, or use numeric ids such as USER 1000:1000");
    } catch (UnmappedOwnerException e) {
      throw new StepException(e.getMessage(), idsHint());
    }
    if (r.exit().code() != 0) {
      StringBuilder msg = new StringBuilder("exit code " + r.exit().code());
      if (!r.exit().tail().isEmpty()) {
        msg.append("\nlast output lines:");
        r.exit().tail().forEach(l -> msg.append("\n  ").append(l));
      }
      throw new StepException(msg.toString(), UserNamespace.singleId() ? idsHint() : null);
    }
    return r;
  }

  /** How to give a rootless build the ids an image needs. */
  private static String idsHint() {
    String user = System.getProperty("user.name");
    return (UserNamespace.singleId()
        ? "this rootless build maps one id only (" + user + " has no subordinate ids), so no file can belong to"
            + " another user and no command can run as one"
        : "this rootless build maps fewer ids than the image uses")
        + "; give " + user + " a range of 65536 ids, for example: usermod --add-subuids 100000-165535"
        + " --add-subgids 100000-165535 " + user;
  }
}
