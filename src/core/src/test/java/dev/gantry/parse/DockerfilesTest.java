package dev.gantry.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.ast.Copy;
import dev.gantry.ast.Dockerfile;
import dev.gantry.ast.DockerfileException;
import dev.gantry.ast.Run;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerfilesTest {

  @Test
  void parsesAFileEndToEnd(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("Dockerfile");
    Files.writeString(file, "# syntax=docker/dockerfile:1\n# VERSION the release\nARG VERSION=1.0\n"
        + "FROM alpine:3.20 AS build\nRUN --mount=type=cache,target=/root/.cache \\\n    make\n"
        + "FROM scratch\nCOPY --from=build /out /\n");
    Dockerfile d = Dockerfiles.parse(file);
    assertThat(d.directives()).singleElement().satisfies(x -> assertThat(x.name()).isEqualTo("syntax"));
    assertThat(d.globalArgs().get(0).args().get(0).docComment()).isEqualTo("the release");
    assertThat(d.stages()).hasSize(2);
    Run run = (Run) d.stages().get(0).instructions().get(0);
    assertThat(run.range().startLine()).isEqualTo(5);
    assertThat(run.range().endLine()).isEqualTo(6);
    assertThat(run.mounts()).hasSize(1);
    assertThat(((Copy) d.stages().get(1).instructions().get(0)).from()).isEqualTo("build");
  }

  @Test
  void reportsEveryErrorWithItsPosition() {
    byte[] content = "FROM alpine\nCOPY a\nFROM x AS 1\n".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> Dockerfiles.parse("app/Dockerfile", content))
        .isInstanceOf(DockerfileException.class)
        .satisfies(e -> assertThat(((DockerfileException) e).diagnostics()).extracting(x -> x.headline())
            .containsExactly(
                "app/Dockerfile:2:1: COPY requires at least two arguments, but only one was provided."
                    + " Destination could not be determined",
                "app/Dockerfile:3:1: invalid name for build stage: \"1\", name can't start with a number or contain symbols"));
  }

  @Test
  void theSyntaxLevelKeepsWhatOnlyConversionRejectsAndATriggerIsOneInstruction() {
    byte[] content = "FROM alpine\nCOPY a\n".getBytes(StandardCharsets.UTF_8);
    var tree = Dockerfiles.syntax("Dockerfile", content);
    assertThat(tree.children()).hasSize(2);
    assertThatThrownBy(() -> Dockerfiles.convert(tree, content)).isInstanceOf(DockerfileException.class);
    assertThat(Dockerfiles.trigger("RUN make")).isInstanceOfSatisfying(Run.class,
        r -> assertThat(r.range().startLine()).isEqualTo(2));
  }
}
