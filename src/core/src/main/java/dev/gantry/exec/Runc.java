package dev.gantry.exec;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs one container with {@code runc run} on a bundle Gantry wrote: stdin is empty, stdout and
 * stderr are merged and handed over line by line, an interrupt of the calling thread kills and
 * deletes the container. Bundles (their {@code config.json} holds the environment, secrets given as
 * variables included) and runc's state live in a private directory, which a build puts on a memory
 * filesystem; {@link #killAll} ends what a killed build left running there. Needs Linux, root and
 * runc on the PATH (or in /usr/sbin, /sbin).
 */
public final class Runc {
  private static final int TAIL = 10;
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Path binary;
  private final Path dir;
  private final Path stateRoot;

  private Runc(Path binary, Path dir, Path stateRoot) {
    this.binary = binary;
    this.dir = dir;
    this.stateRoot = stateRoot;
  }

  /** What a finished container did: its exit code and its last output lines. */
  public record Exit(int code, List<String> tail) {
    public Exit {
      tail = List.copyOf(tail);
    }
  }

  /** The environment variable that names the runc binary to use instead of the one on the PATH. */
  public static final String RUNTIME_ENV = "GANTRY_RUNC";

  /**
   * Why no container can run here (and how to fix it), or empty when one can: needs Linux, root,
   * and the runc binary.
   */
  public static Optional<String> unavailable() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (!os.contains("linux")) {
      return Optional.of("RUN needs a Linux host with runc (this is " + System.getProperty("os.name")
          + "); build in a Linux VM or container, or move the command out of the Dockerfile");
    }
    if (find().isEmpty()) {
      String chosen = System.getenv(RUNTIME_ENV);
      return Optional.of(chosen != null && !chosen.isEmpty()
          ? "RUN needs the runc container runtime; " + RUNTIME_ENV + " names " + chosen
              + ", which is not an executable file; point it at runc or unset it"
          : "RUN needs the runc container runtime, which is not installed;"
              + " install it (for example: apt-get install runc)");
    }
    if (!isRoot()) {
      return Optional.of("RUN needs root privileges to mount overlays and start runc;"
          + " run the build as root (for example with sudo)");
    }
    return Optional.empty();
  }

  /**
   * A runner keeping bundles and container state in {@code dir} ({@code state/}, {@code bundle-ID/});
   * fails when runc is not installed.
   */
  public static Runc create(Path dir) throws IOException {
    Path bin = find().orElseThrow(() -> new IOException("runc is not installed"));
    Runc runc = new Runc(bin, Files.createDirectories(dir), stateRoot(dir));
    Files.createDirectories(runc.stateRoot);
    return runc;
  }

  /** The state root ({@code runc --root}) of a runner made with {@link #create} on {@code dir}. */
  public static Path stateRoot(Path dir) {
    return dir.resolve("state");
  }

  /**
   * Kills and deletes every container whose state is in {@code stateRoot}, such as those of a build
   * that was killed; nothing when runc is missing or there is no such directory. A state directory
   * with nothing in it (every container ran to its end) costs no runc process.
   */
  public static void killAll(Path stateRoot) {
    Optional<Path> bin = find();
    if (bin.isEmpty() || !Files.isDirectory(stateRoot) || Trees.isEmpty(stateRoot)) {
      return;
    }
    Runc runc = new Runc(bin.get(), stateRoot.getParent(), stateRoot);
    String ids;
    try {
      ids = Commands.run(List.of(bin.get().toString(), "--root", stateRoot.toString(), "list", "-q"));
    } catch (IOException e) {
      return;
    }
    for (String id : ids.split("\n")) {
      if (!id.isBlank()) {
        runc.kill(id.trim());
      }
    }
  }

  private static Optional<Path> find() {
    String chosen = System.getenv(RUNTIME_ENV);
    if (chosen != null && !chosen.isEmpty()) {
      Path p = Path.of(chosen);
      return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
    dirs.addAll(List.of("/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/bin", "/bin"));
    for (String d : dirs) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, "runc"))) {
        return Optional.of(Path.of(d, "runc"));
      }
    }
    return Optional.empty();
  }

  private static boolean isRoot() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /**
   * Runs {@code p} on the root filesystem {@code rootfs} and returns its exit; {@code output} gets
   * every line of stdout and stderr as it comes. The bundle is deleted afterwards.
   *
   * @throws InterruptedIOException when the calling thread is interrupted (the container is killed)
   */
  public Exit run(ContainerProcess p, Path rootfs, Consumer<String> output) throws IOException {
    String id = "gantry-" + HexFormat.of().formatHex(bytes());
    Path bundle = Files.createDirectory(dir.resolve("bundle-" + id));
    try {
      return run(p, rootfs, bundle, id, output);
    } finally {
      Trees.delete(bundle);
    }
  }

  private Exit run(ContainerProcess p, Path rootfs, Path bundle, String id, Consumer<String> output)
      throws IOException {
    Path hosts = bundle.resolve("hosts");
    Files.writeString(hosts, "127.0.0.1\tlocalhost " + ContainerProcess.HOSTNAME
        + "\n::1\tlocalhost ip6-localhost ip6-loopback\n");
    Path resolv = bundle.resolve("resolv.conf");
    Path hostResolv = Path.of("/etc/resolv.conf");
    Files.writeString(resolv, Files.isReadable(hostResolv) ? Files.readString(hostResolv) : "");
    Files.write(bundle.resolve("config.json"), RuntimeSpec.write(p, rootfs, hosts, resolv));
    Process proc = new ProcessBuilder(binary.toString(), "--root", stateRoot.toString(), "run", "--bundle",
        bundle.toAbsolutePath().toString(), id)
        .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    Deque<String> tail = new ArrayDeque<>();
    Thread reader = new Thread(() -> pump(proc, output, tail), "gantry-run-output");
    reader.setDaemon(true);
    reader.start();
    try {
      int code = proc.waitFor();
      reader.join();
      synchronized (tail) {
        return new Exit(code, new ArrayList<>(tail));
      }
    } catch (InterruptedException e) {
      kill(id);
      proc.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("RUN cancelled; container " + id + " killed");
    }
  }

  private static byte[] bytes() {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    return b;
  }

  private static void pump(Process proc, Consumer<String> output, Deque<String> tail) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        synchronized (tail) {
          tail.addLast(line);
          if (tail.size() > TAIL) {
            tail.removeFirst();
          }
        }
        output.accept(line);
      }
    } catch (IOException e) {
      // the process ended or was killed: nothing more to read
    }
  }

  /** Kills and deletes container {@code id}, clearing the interrupt flag meanwhile so the commands can run. */
  private void kill(String id) {
    boolean interrupted = Thread.interrupted();
    try {
      quiet(List.of(binary.toString(), "--root", stateRoot.toString(), "kill", id, "KILL"));
      quiet(List.of(binary.toString(), "--root", stateRoot.toString(), "delete", "-f", id));
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void quiet(List<String> cmd) {
    try {
      Commands.run(cmd);
    } catch (IOException e) {
      // already gone
    }
  }
}
