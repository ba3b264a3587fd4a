package dev.gantry.builder;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A base that cannot be pulled is reported once, at its FROM line, however many stages use it. */
class UnpullableBaseTest {
  @TempDir Path tmp;

  @Test
  void anUnreachableRegistryIsReportedAtTheFromLineOfTheStageOthersCopyFrom() throws Exception {
    BuildFixture f = new BuildFixture(tmp).dockerfile(
        "FROM 127.0.0.1:1/nope:1 AS build\nRUN true\nFROM scratch\nCOPY --from=build /x /x\n");
    BuildFixture.Failure failure = f.fail(1);
    assertThat(failure.message()).startsWith("Dockerfile:1:1: cannot pull \"127.0.0.1:1/nope:1\": ")
        .containsAnyOf("connection refused", "ConnectException").doesNotContain("NullPointer").doesNotContain("\n");
    assertThat(failure.hint()).contains("--build-context 127.0.0.1:1/nope:1=oci-layout://");
  }

  @Test
  void anUnreachableBaseOfABaseStageIsReportedOnce() throws Exception {
    BuildFixture f = new BuildFixture(tmp).dockerfile(
        "FROM 127.0.0.1:1/nope:1 AS build\nFROM build AS next\nRUN true\nFROM next\n");
    BuildFixture.Failure failure = f.fail(1);
    assertThat(failure.message()).startsWith("Dockerfile:1:1: cannot pull \"127.0.0.1:1/nope:1\"");
    assertThat(((dev.gantry.ast.DockerfileException) failure.cause()).diagnostics()).hasSize(1);
  }
}
