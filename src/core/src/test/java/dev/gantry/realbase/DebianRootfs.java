package dev.gantry.realbase;

import dev.gantry.oracle.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Debian bookworm root filesystem tar made by {@code mmdebstrap --variant=minbase}, cached
 * between test runs under {@code $GANTRY_TEST_CACHE} (default {@code ~/.cache/gantry-tests}), since
 * making one takes 15-20 s and reaches Debian's mirror.
 */
public final class DebianRootfs {
  private DebianRootfs() {}

  /** The cache directory of the test suite's real bases. */
  public static Path cacheDirectory() {
    String env = System.getenv("GANTRY_TEST_CACHE");
    return env != null && !env.isBlank() ? Path.of(env)
        : Path.of(System.getProperty("user.home"), ".cache", "gantry-tests");
  }

  /**
   * The minbase tar with {@code packages} added (none for plain minbase); made once, then reused.
   * Skips the test (fails under CI) when mmdebstrap is missing or the user is not root.
   */
  public static Path minbase(String... packages) throws IOException, InterruptedException {
    String name = "bookworm-minbase" + (packages.length == 0 ? "" : "-" + String.join("-", packages)) + ".tar";
    Path tar = cacheDirectory().resolve(name);
    if (Files.isRegularFile(tar)) {
      return tar;
    }
    Tools.require(Tools.onPath("mmdebstrap"), "mmdebstrap is not installed (the test command installs it)");
    Tools.require("root".equals(System.getProperty("user.name")), "mmdebstrap needs root here");
    Files.createDirectories(tar.getParent());
    Path part = tar.resolveSibling(name + ".part-" + ProcessHandle.current().pid());
    List<String> cmd = new ArrayList<>(List.of("mmdebstrap", "--variant=minbase", "--format=tar", "--quiet"));
    if (packages.length > 0) {
      cmd.add("--include=" + String.join(",", packages));
    }
    cmd.addAll(List.of("bookworm", part.toString()));
    Path log = Files.createTempFile("mmdebstrap", ".log");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IOException("mmdebstrap timed out");
    }
    if (p.exitValue() != 0) {
      throw new IOException("mmdebstrap failed: " + Files.readString(log, StandardCharsets.UTF_8));
    }
    Files.move(part, tar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Files.deleteIfExists(log);
    return tar;
  }
}
