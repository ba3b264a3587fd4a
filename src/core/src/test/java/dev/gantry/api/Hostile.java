package dev.gantry.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The host side of the hostile RUN steps of {@code testdata/hostile}: sentinel files and the verdicts. */
final class Hostile {
  private Hostile() {}

  /** Makes {@code dir} with a file {@code sentinel}, both writable by everyone; returns {@code dir}. */
  static Path sentinels(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("sentinel"), "host-file\n");
    Files.setAttribute(dir, "unix:mode", 0777);
    Files.setAttribute(dir.resolve("sentinel"), "unix:mode", 0666);
    return dir;
  }

  /** Checks the output lines ({@code run: ...}) of a build of {@code dockerfile}: attempts made, all denied. */
  static void assertDenied(String output, String dockerfile) {
    assertThat(output).doesNotContain("run: escaped");
    switch (dockerfile) {
      // stderr and stdout share the output: a shell's error message may end after the next line
      // began, so the lines are looked for anywhere, not only at a line start
      case "Dockerfile.paths" -> assertThat(output).contains("denied ../../../../../../../../")
          .contains("denied /proc/1/root/").contains("denied /h");
      case "Dockerfile.chroot" -> assertThat(output).contains("run: denied chroot");
      default -> assertThat(output).contains("run: mounts inside the root");
    }
  }
}
