package dev.gantry.exec;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to run in a container: argument vector, environment, working directory, identity, hostname,
 * network mode and extra read-only files bind-mounted into it.
 *
 * @param args the full argument vector
 * @param env {@code NAME=value} entries ({@code PATH} gets the default when absent)
 * @param cwd absolute working directory
 * @param user the identity
 * @param network the network mode
 * @param files extra files mounted read-only: container path -> host file
 * @param mounts further mounts ({@code RUN --mount}), in order
 * @param privileged all capabilities, no masked or read-only paths, every device ({@code --security=insecure})
 */
public record ContainerProcess(List<String> args, List<String> env, String cwd, ExecUser user, Network network,
    Map<String, java.nio.file.Path> files, List<MountPoint> mounts, boolean privileged) {
  /** The default PATH of a container whose environment has none (BuildKit's, for Linux). */
  public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  /** The hostname RUN commands see (BuildKit's default). */
  public static final String HOSTNAME = "buildkitsandbox";

  public ContainerProcess {
    args = List.copyOf(args);
    env = List.copyOf(env);
    Objects.requireNonNull(cwd, "cwd");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(network, "network");
    files = Map.copyOf(files);
    mounts = List.copyOf(mounts);
  }

  /** A sandboxed process without further mounts. */
  public ContainerProcess(List<String> args, List<String> env, String cwd, ExecUser user, Network network,
      Map<String, java.nio.file.Path> files) {
    this(args, env, cwd, user, network, files, List.of(), false);
  }

  /**
   * Network modes of RUN. {@code DEFAULT} is host networking: Gantry sets up no CNI, so, like
   * BuildKit's "auto" mode without CNI, a default RUN shares the host's network namespace.
   */
  public enum Network {
    /** The host's network (what {@code --network=default} means here). */
    DEFAULT,
    /** The host's network, explicitly ({@code --network=host}). */
    HOST,
    /** An own network namespace with only the loopback interface ({@code --network=none}). */
    NONE
  }

  /** The environment with the default PATH added when none is set. */
  public List<String> effectiveEnv() {
    for (String e : env) {
      if (e.startsWith("PATH=")) {
        return env;
      }
    }
    List<String> out = new java.util.ArrayList<>(env);
    out.add("PATH=" + DEFAULT_PATH);
    return out;
  }
}
