package dev.gantry.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds out which RUN isolations this host allows and picks one ({@link #choose}). What it looks at
 * is gathered in {@link Facts}, so the choice itself is a function of them.
 */
public final class IsolationProbe {
  private static final int CAP_SYS_CHROOT = 18;
  private static final int CAP_SYS_ADMIN = 21;
  private static final List<String> CONTAINER_MARKERS = List.of("/.dockerenv", "/run/.containerenv");

  private IsolationProbe() {}

  /**
   * What the choice depends on.
   *
   * @param linux whether this is Linux
   * @param runc why the runtime is missing, or empty when it is there
   * @param uid this process's user id
   * @param user this process's user name
   * @param capabilities this process's effective capabilities (bit mask)
   * @param uidMap this process's user namespace map
   * @param userNamespaces whether a new user namespace could be made (empty when not tried)
   * @param subuids the user's subordinate uid ranges
   * @param subgids the user's subordinate gid ranges
   * @param container the file or hint showing this runs in a container, or empty
   * @param capsh whether {@code capsh} (chroot mode) is installed
   */
  public record Facts(boolean linux, Optional<String> runc, long uid, String user, long capabilities,
      List<UserNamespace.Mapping> uidMap, Optional<Boolean> userNamespaces, List<UserNamespace.Range> subuids,
      List<UserNamespace.Range> subgids, Optional<String> container, boolean capsh) {
    public Facts {
      uidMap = List.copyOf(uidMap);
      subuids = List.copyOf(subuids);
      subgids = List.copyOf(subgids);
    }

    boolean has(int capability) {
      return (capabilities & (1L << capability)) != 0;
    }

    boolean privileged() {
      return uid == 0 && has(CAP_SYS_ADMIN);
    }

    boolean namespaced() {
      return UserNamespace.isNamespaced(uidMap);
    }

    /** Whether the user has subordinate uids and gids to map in a user namespace. */
    public boolean subordinate() {
      return !subuids.isEmpty() && !subgids.isEmpty();
    }

    /** Whether this process, not root and not in a namespace it entered already, can enter a user namespace. */
    public boolean canEnterUserNamespace() {
      return uid != 0 && userNamespaces.orElse(false) && System.getenv(UserNamespace.ENTERED_ENV) == null;
    }
  }

  /** What was chosen, or why nothing can run RUN here and what to change. */
  public record Choice(Optional<RunIsolation> isolation, String problem) {
    static Choice of(RunIsolation i) {
      return new Choice(Optional.of(i), "");
    }

    static Choice none(String problem) {
      return new Choice(Optional.empty(), problem);
    }
  }

  /** The facts of this process's host; user namespaces are tried only when {@code tryUserNamespace}. */
  public static Facts facts(boolean tryUserNamespace) {
    boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    long uid = 0;
    long caps = 0;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
        if (line.startsWith("Uid:")) {
          uid = Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
        } else if (line.startsWith("CapEff:")) {
          caps = Long.parseUnsignedLong(line.substring(7).trim(), 16);
        }
      }
    } catch (IOException | RuntimeException e) {
      uid = -1;
    }
    String user = System.getProperty("user.name", "");
    List<UserNamespace.Range> subuids = UserNamespace.subordinate(Path.of("/etc/subuid"), user, uid);
    List<UserNamespace.Range> subgids = UserNamespace.subordinate(Path.of("/etc/subgid"), user, uid);
    Optional<Boolean> userns = Optional.empty();
    if (linux && tryUserNamespace && uid != 0) {
      userns = Optional.of(succeeds(List.of("unshare", "--map-root-user", "--mount", "true")));
    }
    return new Facts(linux, Runc.missing(), uid, user, caps, UserNamespace.uidMap(), userns, subuids, subgids,
        container(), Runc.onPath("capsh").isPresent());
  }

  /** Whether {@code req} can be had on a host with {@code f}, and how. */
  public static Choice choose(RunIsolation.Request req, Facts f) {
    if (!f.linux()) {
      return Choice.none("RUN needs a Linux host (this is " + System.getProperty("os.name")
          + "); build in a Linux VM or container, or move the command out of the Dockerfile");
    }
    return switch (req) {
      case ROOT -> root(f).map(Choice::of).orElseGet(() -> Choice.none(
          "--isolation root needs root with CAP_SYS_ADMIN outside a user namespace and runc;"
              + " " + rootProblem(f)));
      case ROOTLESS -> rootless(f).orElseGet(() -> Choice.none("--isolation rootless: " + rootlessProblem(f)));
      case CHROOT -> chroot(f, "asked for with --isolation chroot").map(Choice::of)
          .orElseGet(() -> Choice.none("--isolation chroot: " + chrootProblem(f)));
      case AUTO -> auto(f);
    };
  }

  private static Choice auto(Facts f) {
    if (f.runc().isPresent() && (f.uid() != 0 || f.privileged())) {
      // root and rootless need the runtime, and chroot is no way around a missing package
      return Choice.none(f.runc().get());
    }
    Optional<RunIsolation> root = root(f);
    if (root.isPresent()) {
      return Choice.of(root.get());
    }
    Optional<Choice> rootless = rootless(f);
    if (rootless.isPresent() && rootless.get().isolation().isPresent()) {
      return rootless.get();
    }
    if (f.container().isPresent()) {
      Optional<RunIsolation> chroot = chroot(f, "in a container (" + f.container().get()
          + ") without CAP_SYS_ADMIN: no overlay can be mounted, runc cannot run");
      if (chroot.isPresent()) {
        return Choice.of(chroot.get());
      }
    }
    List<String> ways = new ArrayList<>();
    ways.add("run as root (" + rootProblem(f) + ")");
    ways.add("allow rootless builds (" + rootlessProblem(f) + ")");
    ways.add(f.container().isPresent() ? "use --isolation chroot (" + chrootProblem(f) + ")"
        : "inside a container without privileges, use --isolation chroot");
    return Choice.none("no RUN isolation is possible here; " + String.join("; or ", ways));
  }

  private static Optional<RunIsolation> root(Facts f) {
    if (f.runc().isPresent() || !f.privileged() || f.namespaced()) {
      return Optional.empty();
    }
    return Optional.of(new RunIsolation(RunIsolation.Mode.ROOT, "root with CAP_SYS_ADMIN: runc on overlay mounts",
        List.of()));
  }

  private static String rootProblem(Facts f) {
    if (f.runc().isPresent()) {
      return f.runc().get();
    }
    if (f.uid() != 0) {
      return "this runs as uid " + f.uid();
    }
    return f.namespaced() ? "this is root of a user namespace, not of the host"
        : "root here lacks CAP_SYS_ADMIN, as in a container without privileges";
  }

  private static Optional<Choice> rootless(Facts f) {
    if (f.runc().isPresent()) {
      return Optional.empty();
    }
    if (f.namespaced() && f.privileged()) {
      return Optional.of(Choice.of(new RunIsolation(RunIsolation.Mode.ROOTLESS,
          UserNamespace.describe(f.uidMap()), List.of())));
    }
    if (!f.canEnterUserNamespace()) {
      return Optional.empty();
    }
    String why = f.subordinate()
        ? "user namespace, subordinate ids " + f.subuids().get(0) + " from /etc/subuid and " + f.subgids().get(0)
            + " from /etc/subgid"
        : "user namespace with one id: " + f.user() + " has no subordinate ids in /etc/subuid and /etc/subgid,"
            + " so files can only be owned by root";
    return Optional.of(Choice.of(new RunIsolation(RunIsolation.Mode.ROOTLESS, why,
        UserNamespace.enterCommand(f.subordinate()))));
  }

  private static String rootlessProblem(Facts f) {
    if (f.runc().isPresent()) {
      return f.runc().get();
    }
    if (f.uid() == 0 && !f.namespaced()) {
      return "this runs as root; rootless mode is for other users";
    }
    return "no user namespace can be made here (unshare --map-root-user failed): allow them"
        + " (sysctl user.max_user_namespaces, kernel.unprivileged_userns_clone), or, in a container,"
        + " run it with a seccomp profile that allows unshare";
  }

  private static Optional<RunIsolation> chroot(Facts f, String why) {
    if (f.uid() != 0 || !f.has(CAP_SYS_CHROOT) || !f.capsh()) {
      return Optional.empty();
    }
    return Optional.of(new RunIsolation(RunIsolation.Mode.CHROOT, why
        + "; commands run chrooted with the container's rights", List.of()));
  }

  private static String chrootProblem(Facts f) {
    if (f.uid() != 0) {
      return "it needs root of the container (this runs as uid " + f.uid() + ")";
    }
    if (!f.has(CAP_SYS_CHROOT)) {
      return "it needs CAP_SYS_CHROOT, which this process lacks";
    }
    return "it needs capsh (Debian package libcap2-bin), which is not installed";
  }

  /** The marker showing this process runs in a container, or empty. */
  static Optional<String> container() {
    for (String m : CONTAINER_MARKERS) {
      if (Files.exists(Path.of(m))) {
        return Optional.of(m);
      }
    }
    String env = System.getenv("container");
    if (env != null && !env.isEmpty()) {
      return Optional.of("container=" + env);
    }
    try {
      String cgroup = Files.readString(Path.of("/proc/1/cgroup"), StandardCharsets.UTF_8);
      for (String hint : List.of("docker", "kubepods", "libpod", "containerd")) {
        if (cgroup.contains(hint)) {
          return Optional.of("/proc/1/cgroup names " + hint);
        }
      }
    } catch (IOException e) {
      // no hint there
    }
    return Optional.empty();
  }

  private static boolean succeeds(List<String> cmd) {
    try {
      Commands.run(cmd);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
