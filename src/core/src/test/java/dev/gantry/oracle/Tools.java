package dev.gantry.oracle;

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
}
