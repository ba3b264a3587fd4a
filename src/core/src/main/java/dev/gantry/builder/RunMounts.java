package dev.gantry.builder;

import dev.gantry.context.BuildContext;
import dev.gantry.context.ContextEntry;
import dev.gantry.exec.MountPoint;
import dev.gantry.exec.MountSources;
import dev.gantry.plan.RunMount;
import dev.gantry.plan.StageRef;
import dev.gantry.plan.StepAction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns the planned {@code --mount}s of a RUN into runtime mounts and runs the command while they
 * are in place: cache directories held as their sharing mode says, bind sources materialised
 * (context files as {@code .dockerignore} leaves them, a stage's merged files; read-write binds on
 * a throw-away copy), tmpfs mounts, secrets written to a private directory on the build's memory
 * filesystem (never on disk) and deleted afterwards, SSH agent sockets bound. Secret values are
 * never logged.
 */
final class RunMounts {
  private final BuildSession session;
  private final List<RunMount> mounts;
  private final Path work;
  private final MountPoint[] points;
  private final List<String> env;
  private Path secrets;

  /** Runs the command with the prepared mounts and environment. */
  interface Runner<T> {
    T run(List<MountPoint> mounts, List<String> env) throws IOException, StepException;
  }

  private RunMounts(BuildSession session, List<RunMount> mounts, List<String> env, Path work) {
    this.session = session;
    this.mounts = mounts;
    this.work = work;
    this.points = new MountPoint[mounts.size()];
    this.env = new ArrayList<>(env);
  }

  /** True when a mount of {@code r} reads from stage {@code stage}. */
  static boolean usesStage(StepAction.RunCommand r, int stage) {
    for (RunMount m : r.mounts()) {
      StageRef from = m instanceof RunMount.Bind b ? b.from() : m instanceof RunMount.Cache c ? c.from() : null;
      if (from instanceof StageRef.OfStage s && s.index() == stage) {
        return true;
      }
    }
    return false;
  }

  /** Prepares the mounts of {@code cmd} in {@code work}, runs {@code runner}, and cleans up (secrets first). */
  static <T> T run(BuildSession session, StepAction.RunCommand cmd, Path work, Runner<T> runner)
      throws IOException, StepException {
    RunMounts m = new RunMounts(session, cmd.mounts(), cmd.env(), work);
    try {
      m.prepare();
      return m.withCaches(0, runner);
    } finally {
      if (m.secrets != null) {
        MountSources.delete(m.secrets);
      }
    }
  }

  private void prepare() throws IOException, StepException {
    boolean sshEnv = env.stream().anyMatch(e -> e.startsWith("SSH_AUTH_SOCK="));
    for (int i = 0; i < mounts.size(); i++) {
      RunMount m = mounts.get(i);
      if (m instanceof RunMount.Tmpfs t) {
        points[i] = MountPoint.tmpfs(t.target(), t.sizeBytes());
      } else if (m instanceof RunMount.Bind b) {
        points[i] = bind(b);
      } else if (m instanceof RunMount.Secret s) {
        points[i] = secret(s);
      } else if (m instanceof RunMount.Ssh s) {
        Path socket = session.sshSockets.get(s.id());
        if (socket == null) {
          throw new StepException("no SSH agent socket was given for ssh mount id=" + s.id(),
              "pass the agent socket to the build, for example --ssh " + s.id() + "=$SSH_AUTH_SOCK");
        }
        points[i] = MountPoint.bind(s.target(), socket, true);
        if (!sshEnv) {
          env.add("SSH_AUTH_SOCK=" + s.target());
          sshEnv = true;
        }
      }
    }
  }

  private <T> T withCaches(int from, Runner<T> runner) throws IOException, StepException {
    for (int i = from; i < mounts.size(); i++) {
      if (mounts.get(i) instanceof RunMount.Cache c) {
        int slot = i;
        CacheMounts.Seed seed = c.from() == null ? null : () -> stageFiles(c.from(), c.source(), "seed");
        return CacheMounts.with(session.store, c, seed, session.scratch, dir -> {
          points[slot] = MountPoint.bind(c.target(), MountSources.confined(dir, session.store.root()), !c.readOnly());
          return withCaches(slot + 1, runner);
        });
      }
    }
    List<MountPoint> all = new ArrayList<>(Arrays.asList(points));
    all.removeIf(p -> p == null);
    return runner.run(all, env);
  }

  private MountPoint bind(RunMount.Bind b) throws IOException, StepException {
    Path src;
    if (b.from() == null || b.from() instanceof StageRef.OfContext c && session.contexts.isDirectory(c.name())) {
      BuildContext ctx = b.from() == null ? session.contexts.main()
          : session.contexts.directory(((StageRef.OfContext) b.from()).name());
      src = contextFiles(ctx, b.source());
    } else {
      src = stageFiles(b.from(), b.source(), "bind");
    }
    return MountPoint.bind(b.target(), MountSources.confined(src, work), b.readWrite());
  }

  /**
   * A copy of the context's files under {@code source} (what .dockerignore leaves), in a fresh
   * directory; symbolic links on the way to {@code source} are followed inside the context.
   */
  private Path contextFiles(BuildContext ctx, String source) throws IOException, StepException {
    ContextEntry top = ctx.resolveFollowing(source).orElse(null);
    if (top == null) {
      ContextEntry link = ctx.entry(source.substring(1).isEmpty() ? "." : source.substring(1)).orElse(null);
      throw new StepException(link != null && link.isSymlink()
          ? "bind mount source \"" + source + "\" is a symbolic link to \"" + link.linkTarget()
              + "\", which is not in the build context (links resolve inside the context)"
          : "bind mount source \"" + source + "\" not found in the build context",
          "mount files of the context, or pass a host directory as a named context: --build-context NAME=DIR"
              + " and --mount=type=bind,from=NAME");
    }
    String rel = top.path().equals(".") ? "" : top.path();
    Path dest = Files.createTempDirectory(work, "bind").resolve("src");
    if (!top.isDirectory()) {
      MountSources.copyTree(ctx.file(top), dest);
      return dest;
    }
    Files.createDirectory(dest);
    Files.setAttribute(dest, "unix:mode", top.mode() & 07777);
    String prefix = rel.isEmpty() ? "" : rel + "/";
    for (ContextEntry e : ctx.entries()) {
      if (!e.path().startsWith(prefix) || e.path().equals(rel)) {
        continue;
      }
      Path to = dest.resolve(e.path().substring(prefix.length()));
      Path file = ctx.file(e);
      if (e.isDirectory()) {
        Files.createDirectories(to);
        Files.setAttribute(to, "unix:mode", e.mode() & 07777);
      } else {
        Files.createDirectories(to.getParent());
        MountSources.copyTree(file, to);
      }
    }
    return dest;
  }

  /** The merged files of stage {@code from} at {@code source}, in a fresh copy. */
  private Path stageFiles(StageRef from, String source, String what) throws IOException, StepException {
    if (!(from instanceof StageRef.OfStage s)) {
      throw new StepException("RUN --mount from an image or image context is not supported yet",
          "add a stage (FROM the image AS name) and mount from=name");
    }
    StageResult r = session.results.get(s.index()).join();
    session.importBlobs(r.layers(), r.config().rootfs().diffIds());
    try {
      return MountSources.fromLayers(session.rootfsCache(), r.layers(), r.config().rootfs().diffIds(),
          source, Files.createTempDirectory(work, what));
    } catch (NoSuchFileException e) {
      throw new StepException(what + " source \"" + source + "\" not found in stage " + s.index(), null);
    }
  }

  /** Writes the secret to a private directory (0700, in memory, outside the root filesystem) or adds it to the env. */
  private MountPoint secret(RunMount.Secret s) throws IOException, StepException {
    byte[] value = secretValue(s);
    if (value == null) {
      return null;
    }
    if (s.env() != null) {
      env.add(s.env() + "=" + new String(value, java.nio.charset.StandardCharsets.UTF_8));
    }
    if (s.target() == null) {
      return null;
    }
    if (secrets == null) {
      secrets = Files.createTempDirectory(session.memory(), "secrets");
      Files.setAttribute(secrets, "unix:mode", 0700);
    }
    Path f = Files.createTempFile(secrets, "secret", "");
    Files.write(f, value);
    Files.setAttribute(f, "unix:mode", (int) (s.mode() & 07777), LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(f, "unix:uid", (int) s.uid(), LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(f, "unix:gid", (int) s.gid(), LinkOption.NOFOLLOW_LINKS);
    return MountPoint.bind(s.target(), MountSources.confined(f, session.store.root()), false);
  }

  private byte[] secretValue(RunMount.Secret s) throws IOException, StepException {
    BuildSpec.Secret src = session.secrets.get(s.id());
    byte[] value = null;
    if (src != null && src.file() != null) {
      value = Files.readAllBytes(src.file());
    } else if (src != null) {
      String v = System.getenv(src.env());
      value = v == null ? null : v.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
    if (value == null && s.required()) {
      throw new StepException("secret " + s.id() + ": not found",
          "pass it to the build, for example --secret id=" + s.id() + ",src=FILE");
    }
    return value;
  }
}
