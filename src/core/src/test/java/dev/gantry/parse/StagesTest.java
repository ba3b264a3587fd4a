package dev.gantry.parse;

import static dev.gantry.parse.ConverterTestSupport.errors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gantry.ast.Dockerfile;
import dev.gantry.ast.DockerfileException;
import dev.gantry.ast.Stage;
import java.util.List;
import org.junit.jupiter.api.Test;

class StagesTest {

  @Test
  void globalArgsStagesNamesAndPlatform() {
    Dockerfile d = InstructionConverter.convert(Nodes.tree(
        Nodes.node("ARG", "BASE=alpine"),
        Nodes.node("FROM", List.of("--platform=$BUILDPLATFORM"), "$BASE", "AS", "Build"),
        Nodes.node("RUN", "make"),
        Nodes.node("FROM", "scratch"),
        Nodes.node("COPY", List.of("--from=build"), "/out", "/")));
    assertThat(d.globalArgs()).singleElement().satisfies(a -> assertThat(a.args().get(0).key()).isEqualTo("BASE"));
    assertThat(d.stages()).hasSize(2);
    Stage build = d.stages().get(0);
    assertThat(build.name()).contains("build");
    assertThat(build.from().platform()).isEqualTo("$BUILDPLATFORM");
    assertThat(build.from().expandable()).containsExactly("$BASE", "$BUILDPLATFORM");
    assertThat(build.instructions()).hasSize(1);
    assertThat(d.stages().get(1).index()).isEqualTo(1);
    assertThat(d.stage("BUILD")).contains(build);
    assertThat(d.lastStage().from().image()).isEqualTo("scratch");
  }

  @Test
  void stageNameRulesAndArity() {
    assertThat(errors(Nodes.node("FROM", "x", "AS", "1st")))
        .containsExactly("invalid name for build stage: \"1st\", name can't start with a number or contain symbols");
    assertThat(errors(Nodes.node("FROM", "x", "y"))).containsExactly("FROM requires either one or three arguments");
  }

  @Test
  void duplicateStageNamesWarn() {
    Dockerfile d = InstructionConverter.convert(Nodes.tree(Nodes.node("FROM", "a", "AS", "x"),
        Nodes.node("FROM", "b", "as", "X")));
    assertThat(d.warnings()).singleElement().satisfies(w -> {
      assertThat(w.message()).isEqualTo("Duplicate stage name \"x\", stage names should be unique");
      assertThat(w.range().startLine()).isEqualTo(2);
    });
  }

  @Test
  void mustStartWithFromOrArg() {
    DockerfileException e = catchThrowableOfType(() -> InstructionConverter.convert(Nodes.tree(
        Nodes.node("ARG", "a"), Nodes.node("RUN", "x"), Nodes.node("RUN", "y"), Nodes.node("FROM", "z"))),
        DockerfileException.class);
    assertThat(e.diagnostics()).singleElement().satisfies(diag -> {
      assertThat(diag.message()).isEqualTo("no build stage in current context");
      assertThat(diag.format()).startsWith("Dockerfile:2:1: no build stage in current context");
    });
  }

  @Test
  void circularReferencesAndBadIndexes() {
    assertThat(errors(Nodes.node("COPY", List.of("--from=0"), "a", "/")))
        .containsExactly("circular dependency detected on stage: 0");
    assertThat(errors(Nodes.node("COPY", List.of("--from=3"), "a", "/"))).containsExactly("invalid stage index 3");
  }

  @Test
  void blankBaseNames() {
    DockerfileException e = catchThrowableOfType(() -> InstructionConverter.convert(Nodes.tree(
        Nodes.node("FROM", "\"\""), Nodes.node("FROM", "${NOPE}"))), DockerfileException.class);
    assertThat(e.diagnostics()).extracting(x -> x.message())
        .containsExactly("base name (\"\") should not be blank", "base name (${NOPE}) should not be blank");
    Dockerfile ok = InstructionConverter.convert(Nodes.tree(Nodes.node("ARG", "IMG"), Nodes.node("FROM", "${IMG}")));
    assertThat(ok.stages()).hasSize(1);
  }

  @Test
  void everyErrorOfTheFileIsReported() {
    List<String> all = errors(Nodes.node("COPY", "a"), Nodes.node("RUNN", "x"), Nodes.node("WORKDIR"),
        Nodes.node("RUN", List.of("--netwrk=none"), "x"));
    assertThat(all).containsExactly(
        "COPY requires at least two arguments, but only one was provided. Destination could not be determined",
        "unknown instruction: RUNN (did you mean RUN?)",
        "WORKDIR requires exactly one argument",
        "unknown flag: --netwrk (did you mean network?)");
  }
}
