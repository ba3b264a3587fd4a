package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gantry build} of a Dockerfile whose base cannot be pulled: one positioned line and a hint. */
class UnpullableBaseCliTest {
  @TempDir Path tmp;

  @Test
  void anUnreachableBaseIsOneLineAtItsFromWithAHint() throws Exception {
    Path ctx = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM 127.0.0.1:1/nope:1 AS build\nFROM scratch\nCOPY --from=build /x /x\n");
    CliTest.Run r = CliTest.run("build", "--cache-dir", tmp.resolve("store").toString(), ctx.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("Dockerfile:1:1: cannot pull \"127.0.0.1:1/nope:1\": ")
        .contains("--build-context 127.0.0.1:1/nope:1=oci-layout://")
        .doesNotContain("NullPointerException").doesNotContain("\tat ");
  }
}
