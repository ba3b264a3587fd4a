package dev.gantry.oracle;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds real tools (buildah, skopeo, umoci, runc) that the test command installs. */
public final class Tools {
  private Tools() {}

  /** True when {@code name} is an executable on the PATH. */
  public static boolean onPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return true;
      }
    }
    return false;
  }

  /** True under continuous integration ({@code CI=true}), where the test command installed every tool. */
  public static boolean underCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /**
   * Skips the calling test when {@code present} is false, except under CI, where a missing tool or
   * data set fails the test: a green CI run means every test ran.
   */
  public static void require(boolean present, String why) {
    if (!present && underCi()) {
      fail(why + " (required under CI=true)");
    }
    assumeTrue(present, why);
  }

  /** Skips (or, under CI, fails) the calling test when RUN cannot run here: root, runc and busybox-static. */
  public static void requireContainers() {
    require(dev.gantry.exec.Runc.unavailable().isEmpty(),
        "cannot run containers here: " + dev.gantry.exec.Runc.unavailable().orElse(""));
    require(BusyboxRootfs.available(), "busybox-static is not installed (the test command installs it)");
  }
}
