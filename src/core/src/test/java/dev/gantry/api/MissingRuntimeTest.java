package dev.gantry.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where no container runtime can run, a build with RUN fails before any work, at the first RUN's
 * position, saying what is missing and how to fix it. Run in a child JVM whose {@code GANTRY_RUNC}
 * names a file that is not runc.
 */
class MissingRuntimeTest {
  @TempDir Path tmp;

  @Test
  void failsAtTheFirstRunBeforeAnyWork() throws Exception {
    Path ctx = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nCOPY a.txt /a.txt\nENV X=1\nRUN echo hi\nRUN echo again\n");
    Files.writeString(ctx.resolve("a.txt"), "a");
    Path store = tmp.resolve("store");
    ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), BuildMain.class.getName(), ctx.toString(), store.toString()))
        .redirectErrorStream(true);
    pb.environment().put("GANTRY_RUNC", tmp.resolve("no-such-runc").toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(out).isEqualTo(1);
    assertThat(out).contains("Dockerfile:4:1: cannot execute RUN here: RUN needs the runc container runtime")
        .contains("GANTRY_RUNC names");
    // nothing ran: the COPY before the RUN wrote no layer
    try (var blobs = Files.walk(store)) {
      assertThat(blobs.filter(f -> f.toString().contains("blobs") && Files.isRegularFile(f)).count()).isZero();
    }
  }
}
