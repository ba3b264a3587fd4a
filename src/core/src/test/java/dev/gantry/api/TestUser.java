package dev.gantry.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An unprivileged user made for one test class (needs root): with or without subordinate id
 * ranges in /etc/subuid and /etc/subgid, a work directory it owns, and this test run's class path
 * copied where it can read it. {@link #close} deletes the user and its files.
 */
final class TestUser implements AutoCloseable {
  final String name;
  final Path home;
  private final List<String> classPath;

  private TestUser(String name, Path home, List<String> classPath) {
    this.name = name;
    this.home = home;
    this.classPath = classPath;
  }

  /**
   * Creates user {@code name}; {@code subordinateStart} &gt; 0 gives it 65536 subordinate uids and
   * gids from there, 0 none. Its work directory is made in {@code shared}.
   */
  static TestUser create(String name, long subordinateStart, Path shared) throws IOException, InterruptedException {
    run(List.of("userdel", "-f", name), true);
    run(List.of("useradd", "-M", "-K", "SUB_UID_COUNT=0", "-K", "SUB_GID_COUNT=0", "-s", "/bin/sh", name), false);
    if (subordinateStart > 0) {
      String range = subordinateStart + "-" + (subordinateStart + 65535);
      run(List.of("usermod", "--add-subuids", range, "--add-subgids", range, name), false);
    }
    Files.setAttribute(shared, "unix:mode", 0755);
    Path home = Files.createDirectories(shared.resolve(name));
    run(List.of("chown", name + ":", home.toString()), false);
    return new TestUser(name, home, readableClassPath(shared.resolve("classpath")));
  }

  /** The command line running {@link BuildMain} with {@code args} as this user in a new JVM. */
  List<String> buildMain(List<String> args) {
    return java(BuildMain.class, args);
  }

  /** The command line running {@code main} with {@code args} as this user in a new JVM. */
  List<String> java(Class<?> main, List<String> args) {
    List<String> cmd = new ArrayList<>(List.of("runuser", "-u", name, "--"));
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(String.join(":", classPath));
    cmd.add(main.getName());
    cmd.addAll(args);
    return cmd;
  }

  /** Runs {@link BuildMain} as this user and returns its exit code and output. */
  Result build(List<String> args) throws IOException, InterruptedException {
    return run(buildMain(args));
  }

  /** Runs {@code cmd} and returns its exit code and output. */
  Result run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      p.destroyForcibly().waitFor();
      throw new IOException("the build as " + name + " did not end:\n" + out);
    }
    return new Result(p.exitValue(), out);
  }

  /** What a child build did. */
  record Result(int code, String output) {}

  @Override
  public void close() throws IOException, InterruptedException {
    run(List.of("userdel", "-f", name), true);
    run(List.of("rm", "-rf", home.toString()), true);
  }

  /**
   * This JVM's class path, with the entries another user cannot read (jars in root's Maven
   * repository) copied to {@code dir}.
   */
  private static synchronized List<String> readableClassPath(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    Files.createDirectories(dir);
    Files.setAttribute(dir, "unix:mode", 0755);
    int n = 0;
    for (String entry : System.getProperty("java.class.path").split(":")) {
      Path p = Path.of(entry);
      if (Files.isDirectory(p) || !Files.exists(p)) {
        out.add(entry);
        continue;
      }
      Path copy = dir.resolve(n++ + "-" + p.getFileName());
      if (!Files.exists(copy)) {
        Files.copy(p, copy, StandardCopyOption.REPLACE_EXISTING);
        Files.setAttribute(copy, "unix:mode", 0644);
      }
      out.add(copy.toString());
    }
    return out;
  }

  /** Makes {@code dir} and everything under it readable by every user (directories searchable). */
  static void readableByAll(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.toList()) {
        if (!Files.isSymbolicLink(p)) {
          int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
          Files.setAttribute(p, "unix:mode", (mode & 07777) | 0444 | (Files.isDirectory(p) ? 0111 : 0));
        }
      }
    }
  }

  static void run(List<String> cmd, boolean mayFail) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0 && !mayFail) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
  }
}
