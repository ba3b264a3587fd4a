package dev.gantry.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Runs short helper commands (mount, umount, mknod) and turns a failure into an IOException with their output. */
final class Commands {
  private Commands() {}

  /** Runs {@code cmd} and returns its output; throws when it exits non-zero. */
  static String run(List<String> cmd) throws IOException {
    return run(cmd, null);
  }

  /** Runs {@code cmd} in {@code dir} (null: the current directory). */
  static String run(List<String> cmd, Path dir) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      int rc = p.waitFor();
      if (rc != 0) {
        throw new IOException(String.join(" ", cmd) + " failed (exit " + rc + "): " + out.trim());
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", cmd), e);
    }
    return out;
  }
}
