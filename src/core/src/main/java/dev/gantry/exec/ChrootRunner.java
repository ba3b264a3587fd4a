package dev.gantry.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Runs RUN commands without namespaces ({@link RunIsolation.Mode#CHROOT}), for containers that may
 * make none: {@code capsh} chroots into the root filesystem, drops from the bounding set every
 * capability a root-mode container does not get and {@code CAP_SYS_CHROOT} too (so the command
 * cannot chroot out again), sets groups and ids, and runs the command; a working directory other
 * than {@code /} is entered by the image's {@code /bin/sh}. There is no {@code /proc}, {@code /dev}
 * or {@code /sys} but what the image has, the network and process table are the container's, and
 * the command has the rights of the container's root: only a Dockerfile trusted as much as the
 * container may run this way.
 */
public final class ChrootRunner implements ContainerRunner {
  private final Path capsh;

  private ChrootRunner(Path capsh) {
    this.capsh = capsh;
  }

  /** A runner using {@code capsh} from the PATH; fails when it is not installed. */
  public static ChrootRunner create() throws IOException {
    return new ChrootRunner(Runc.onPath("capsh").orElseThrow(
        () -> new IOException("capsh is not installed (Debian package libcap2-bin)")));
  }

  @Override
  public boolean mountsKernelFilesystems() {
    return false;
  }

  @Override
  public Runc.Exit run(ContainerProcess p, Path rootfs, Consumer<String> output) throws IOException {
    List<Path> placed = new ArrayList<>();
    try {
      for (Map.Entry<String, Path> f : p.files().entrySet()) {
        placed.add(place(rootfs, f.getKey(), f.getValue()));
      }
      ProcessBuilder pb = new ProcessBuilder(command(p, rootfs)).directory(rootfs.toFile());
      pb.environment().clear();
      for (String e : p.effectiveEnv()) {
        int eq = e.indexOf('=');
        pb.environment().put(e.substring(0, eq), e.substring(eq + 1));
      }
      return ProcessLines.run(pb, output, () -> { }, "chrooted command");
    } finally {
      for (Path f : placed) {
        Files.deleteIfExists(f);
      }
    }
  }

  private List<String> command(ContainerProcess p, Path rootfs) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(capsh.toString(), "--chroot=" + rootfs.toAbsolutePath(),
        "--drop=" + String.join(",", dropped()), "--gid=" + p.user().gid(),
        "--groups=" + p.user().additionalGids().stream().map(String::valueOf).collect(Collectors.joining(",")),
        "--uid=" + p.user().uid()));
    if (p.cwd().equals("/")) {
      cmd.add("--shell=" + executable(rootfs, p));
      cmd.add("--");
      cmd.addAll(p.args().subList(1, p.args().size()));
    } else {
      cmd.addAll(List.of("--shell=/bin/sh", "--", "-c", "cd -- \"$0\" && exec \"$@\"", p.cwd()));
      cmd.addAll(p.args());
    }
    return cmd;
  }

  /** The capabilities to drop: those root mode does not give, and CAP_SYS_CHROOT; none the kernel lacks. */
  private static List<String> dropped() throws IOException {
    int last = Integer.parseInt(Files.readString(Path.of("/proc/sys/kernel/cap_last_cap")).trim());
    List<String> out = new ArrayList<>();
    for (int bit = 0; bit <= last && bit < RuntimeSpec.ALL_CAPS.size(); bit++) {
      String cap = RuntimeSpec.ALL_CAPS.get(bit);
      if (!RuntimeSpec.CAPS.contains(cap) || cap.equals("CAP_SYS_CHROOT")) {
        out.add(cap.toLowerCase(java.util.Locale.ROOT));
      }
    }
    return out;
  }

  /** The container path of the command's program: as given when it has a slash, else found on its PATH. */
  private static String executable(Path rootfs, ContainerProcess p) throws IOException {
    String name = p.args().get(0);
    if (name.contains("/")) {
      return name;
    }
    String path = ContainerProcess.DEFAULT_PATH;
    for (String e : p.effectiveEnv()) {
      if (e.startsWith("PATH=")) {
        path = e.substring(5);
      }
    }
    for (String dir : path.split(":")) {
      String candidate = (dir.endsWith("/") ? dir : dir + "/") + name;
      Path host = RootPaths.resolve(rootfs, candidate);
      if (Files.isRegularFile(host) && Files.isExecutable(host)) {
        return candidate;
      }
    }
    throw new IOException("executable \"" + name + "\" not found in $PATH (" + path + ") of the root filesystem");
  }

  /** Copies {@code file} (a heredoc script) to {@code target} inside the root, executable; returns the copy. */
  private static Path place(Path rootfs, String target, Path file) throws IOException {
    int slash = target.lastIndexOf('/');
    String parent = slash <= 0 ? "/" : target.substring(0, slash);
    RootPaths.mkdirs(rootfs, parent);
    Path dir = RootPaths.resolve(rootfs, parent);
    Path copy = dir.resolve(target.substring(slash + 1));
    Files.deleteIfExists(copy);
    Files.copy(file, copy, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(copy, "unix:mode", 0755, LinkOption.NOFOLLOW_LINKS);
    return copy;
  }
}
