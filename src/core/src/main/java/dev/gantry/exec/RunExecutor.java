package dev.gantry.exec;

import dev.gantry.layer.LayerEntry;
import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Executes one RUN: mounts an overlay over the parent's unpacked layers (or, where overlayfs cannot
 * be mounted, copies them and diffs the tree afterwards: {@link CopySnapshot}), creates the working
 * directory, resolves the user in the parent's /etc/passwd and /etc/group, runs the command with
 * runc, unmounts, removes the mount-point stubs the runtime created, and turns the upper directory
 * into layer entries. The upper directory lives in {@code work}, which must outlive the entries,
 * until {@link #keep} renames it into the rootfs cache as its chain's directory once the layer is
 * written (the entries follow it there); {@code work} must then be on the store's filesystem.
 */
public final class RunExecutor {
  /** Where runtimes mount kernel filesystems over the root: what a command writes there is not kept. */
  private static final List<String> KERNEL_MOUNTS = List.of("dev", "proc", "sys");
  private final RootfsCache rootfs;
  private final ContainerRunner runc;
  private OverlayMount.Support overlay;

  /**
   * An executor running commands with {@code runc}; one that does not mount {@code /proc},
   * {@code /dev} and {@code /sys} ({@link ChrootRunner}) copies the root filesystem (no mounts)
   * and leaves what the command changed there out of the layer, as a runtime's mounts would hide it.
   */
  public RunExecutor(RootfsCache rootfs, ContainerRunner runc) {
    this.rootfs = Objects.requireNonNull(rootfs);
    this.runc = Objects.requireNonNull(runc);
    if (!runc.mountsKernelFilesystems()) {
      overlay = OverlayMount.Support.NONE;
    }
  }

  /** An executor that never mounts overlays and uses the copy-and-diff snapshotter (for tests). */
  static RunExecutor copying(RootfsCache rootfs, ContainerRunner runc) {
    RunExecutor e = new RunExecutor(rootfs, runc);
    e.overlay = OverlayMount.Support.NONE;
    return e;
  }

  /**
   * One RUN command.
   *
   * @param args the argument vector
   * @param env {@code NAME=value} entries
   * @param user the USER value ({@code ""} for root)
   * @param cwd the absolute working directory ({@code ""} means {@code /})
   * @param network the network mode
   * @param scripts files mounted read-only and executable at absolute container paths (heredoc scripts)
   * @param mounts further mounts ({@code RUN --mount}); their mount points never reach the layer unless
   *     they existed before
   * @param privileged run with all capabilities ({@code --security=insecure})
   */
  public record Request(List<String> args, List<String> env, String user, String cwd, ContainerProcess.Network network,
      Map<String, String> scripts, List<MountPoint> mounts, boolean privileged) {
    public Request {
      args = List.copyOf(args);
      env = List.copyOf(env);
      scripts = Map.copyOf(scripts);
      mounts = List.copyOf(mounts);
    }

    /** A sandboxed request without further mounts. */
    public Request(List<String> args, List<String> env, String user, String cwd, ContainerProcess.Network network,
        Map<String, String> scripts) {
      this(args, env, user, cwd, network, scripts, List.of(), false);
    }
  }

  /**
   * The command's exit and, when it succeeded, the layer entries of its changes and, where they were
   * collected in an overlay upper directory that is now unmounted, that directory ({@link #keep}).
   */
  public record Result(Runc.Exit exit, List<LayerEntry> entries, Optional<UpperSnapshot> upper) {
    public Result {
      entries = List.copyOf(entries);
      Objects.requireNonNull(upper);
    }

    Result(Runc.Exit exit, List<LayerEntry> entries) {
      this(exit, entries, Optional.empty());
    }
  }

  /**
   * Runs {@code req} over {@code layers} (in the store, with their {@code diffIds}) in {@code work}.
   *
   * @throws IllegalArgumentException when the user or group cannot be found
   */
  public Result run(List<Descriptor> layers, List<Digest> diffIds, Request req, Path work, Consumer<String> output)
      throws IOException {
    List<Path> lowers = rootfs.lowerDirs(layers, diffIds);
    Files.createDirectories(work);
    OverlayMount.Support how = overlaySupport(work);
    if (how == OverlayMount.Support.NONE) {
      CopySnapshot snap = CopySnapshot.create(lowers, work.resolve("copy"));
      List<String> stubs = prepare(snap.root(), req);
      Runc.Exit exit = runc.run(process(snap.root(), req, work), snap.root(), output);
      removeStubs(snap.root(), stubs);
      return new Result(exit, exit.code() == 0 ? visible(snap.entries()) : List.of());
    }
    Runc.Exit exit;
    Path upper;
    boolean unmounted;
    try (OverlayMount m = OverlayMount.mount(rootfs.directory(), lowers, work.resolve("overlay"), how)) {
      upper = m.upper();
      List<String> stubs = prepare(m.root(), req);
      exit = runc.run(process(m.root(), req, work), m.root(), output);
      m.close();
      unmounted = m.unmountedCleanly();
      removeStubs(upper, stubs);
    }
    if (exit.code() != 0) {
      return new Result(exit, List.of());
    }
    UpperSnapshot snapshot = UpperSnapshot.scan(upper, lowers);
    return new Result(exit, snapshot.entries(), unmounted ? Optional.of(snapshot) : Optional.empty());
  }

  /**
   * Makes the upper directory of a RUN over {@code diffIds} minus the last (whose layer, the last of
   * {@code diffIds}, was written from {@code written}, entry times mapped by {@code layerTime}) that
   * chain's unpacked directory, so later RUNs need not extract the layer. Returns whether it did;
   * when not (the layer differs from the directory, the chain is there already, a step of the way
   * failed), the directory stays where it was and the layer is extracted when needed.
   */
  public boolean keep(UpperSnapshot upper, List<LayerEntry> written, UnaryOperator<Instant> layerTime,
      List<Digest> diffIds) {
    return keep(upper, written, layerTime, diffIds, null);
  }

  /**
   * Like {@link #keep(UpperSnapshot, List, UnaryOperator, List)}, recording {@code layerBlob} (the
   * stored layer) as the directory's source, so that a prune keeps the directory while the layer is
   * stored, as it does for an extracted one.
   */
  public boolean keep(UpperSnapshot upper, List<LayerEntry> written, UnaryOperator<Instant> layerTime,
      List<Digest> diffIds, Digest layerBlob) {
    try {
      return rootfs.adopt(upper, written, layerTime, diffIds, layerBlob);
    } catch (IOException e) {
      return false;
    }
  }

  /** How overlays can be mounted here (probed once); {@code NONE} also when the copy snapshotter was forced. */
  private synchronized OverlayMount.Support overlaySupport(Path work) throws IOException {
    if (overlay == null) {
      overlay = OverlayMount.probe(rootfs.directory(), Files.createDirectories(work.resolve("probe")));
    }
    return overlay;
  }

  /**
   * Creates the working directory and returns the mount-point stubs the runtime will have to create:
   * the missing components of each mount point, resolved inside the root as the runtime resolves
   * them (symlinks followed with the root as {@code /}), relative to the root.
   */
  private static List<String> prepare(Path root, Request req) throws IOException {
    RootPaths.mkdirs(root, req.cwd().isEmpty() ? "/" : req.cwd());
    List<String> points = new ArrayList<>(RuntimeSpec.STUBS);
    req.mounts().forEach(m -> points.add(m.destination()));
    List<String> stubs = new ArrayList<>();
    for (String point : points) {
      String rel = "";
      for (Path part : root.relativize(RootPaths.resolve(root, point))) {
        rel = rel.isEmpty() ? part.toString() : rel + "/" + part;
        if (!stubs.contains(rel) && !Files.exists(root.resolve(rel), LinkOption.NOFOLLOW_LINKS)) {
          stubs.add(rel);
        }
      }
    }
    return stubs;
  }

  /** {@code entries} without what lies under a kernel filesystem's mount point when the runner mounts none. */
  private List<LayerEntry> visible(List<LayerEntry> entries) {
    if (runc.mountsKernelFilesystems()) {
      return entries;
    }
    List<LayerEntry> out = new ArrayList<>();
    for (LayerEntry e : entries) {
      String top = e.path().contains("/") ? e.path().substring(0, e.path().indexOf('/')) : e.path();
      if (!KERNEL_MOUNTS.contains(top)) {
        out.add(e);
      }
    }
    return out;
  }

  private static ContainerProcess process(Path root, Request req, Path work) throws IOException {
    ExecUser user = ExecUser.resolve(root, req.user());
    Map<String, Path> files = new LinkedHashMap<>();
    Path scripts = Files.createDirectories(work.resolve("scripts"));
    int n = 0;
    for (Map.Entry<String, String> s : req.scripts().entrySet()) {
      Path f = scripts.resolve("script-" + n++);
      Files.writeString(f, s.getValue(), StandardCharsets.UTF_8);
      Files.setAttribute(f, "unix:mode", 0755);
      files.put(s.getKey(), f);
    }
    return new ContainerProcess(req.args(), req.env(), req.cwd().isEmpty() ? "/" : req.cwd(), user, req.network(),
        files, req.mounts(), req.privileged());
  }

  /**
   * Deletes the stubs (deepest first) the runtime left in {@code upper}: empty files and empty
   * directories, never through a symbolic link the command put on their way.
   */
  private static void removeStubs(Path upper, List<String> stubs) throws IOException {
    List<String> order = new ArrayList<>(stubs);
    order.sort((a, b) -> b.length() - a.length());
    for (String s : order) {
      Path p = RootPaths.withoutLinks(upper, s);
      if (p == null) {
        continue;
      }
      if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Files.size(p) == 0) {
        Files.delete(p);
      } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && Trees.isEmpty(p)) {
        Files.delete(p);
      }
    }
  }
}
