package dev.gantry.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.ast.DockerfileException;
import dev.gantry.oci.Platform;
import dev.gantry.parse.Dockerfiles;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Planning of {@code RUN --mount}: expansion, BuildKit's defaults, stage references and cache keys. */
class RunMountPlanningTest {
  private static BuildPlan plan(String dockerfile, Map<String, String> args) throws Exception {
    var df = Dockerfiles.parse("Dockerfile", dockerfile.getBytes(StandardCharsets.UTF_8));
    InputDigester inputs = spec -> List.of(Map.of("path", spec.sources().get(0), "sha256", "fixed"));
    BaseResolver bases = (ref, platform) -> {
      throw new BaseResolver.UnresolvableBaseException("no images here", null);
    };
    var opt = new LayerPlanner.Options(args, null, Platform.parse("linux/amd64"), Platform.parse("linux/amd64"),
        Set.of(), Set.of(), bases, inputs, t -> {
          throw new IllegalStateException();
        });
    return LayerPlanner.plan(df, opt);
  }

  private static StepAction.RunCommand lastRun(BuildPlan p) {
    List<PlannedStep> steps = p.stages().get(p.stages().size() - 1).steps();
    return (StepAction.RunCommand) steps.get(steps.size() - 1).action();
  }

  private static PlannedStep lastStep(BuildPlan p) {
    List<PlannedStep> steps = p.stages().get(p.stages().size() - 1).steps();
    return steps.get(steps.size() - 1);
  }

  @Test
  void optionsAreExpandedAndTargetsMadeAbsoluteWithBuildKitDefaults() throws Exception {
    BuildPlan p = plan("FROM scratch\nARG DIR=/cache\nWORKDIR /w\n"
        + "RUN --mount=type=cache,target=$DIR,ro --mount=type=tmpfs,target=tmp,size=2k"
        + " --mount=type=secret,id=tok --mount=type=secret,id=e,env=E --mount=type=ssh true\n", Map.of());
    assertThat(lastRun(p).mounts()).containsExactly(
        new RunMount.Cache("/cache", "/cache", "shared", null, "/", true, 0755, 0, 0),
        new RunMount.Tmpfs("/w/tmp", 2048),
        new RunMount.Secret("/run/secrets/tok", "tok", null, false, 0400, 0, 0),
        new RunMount.Secret(null, "e", "E", false, 0400, 0, 0),
        new RunMount.Ssh("/run/buildkit/ssh_agent.0", "default", false, 0600, 0, 0));
  }

  @Test
  void bindFromAStageIsKeyedByTheStageResultAndContextBindsByTheirFiles() throws Exception {
    String df = "FROM scratch AS src\nENV A=%s\nFROM scratch\nRUN --mount=type=bind,from=src,source=/x,target=/m true\n";
    BuildPlan one = plan(df.formatted("1"), Map.of());
    BuildPlan two = plan(df.formatted("2"), Map.of());
    assertThat(lastRun(one).mounts()).containsExactly(new RunMount.Bind("/m", new StageRef.OfStage(0), "/x", false));
    assertThat(lastStep(one).key()).isNotEqualTo(lastStep(two).key());

    BuildPlan ctx = plan("FROM scratch\nRUN --mount=type=bind,source=a/../b,target=/m,rw true\n", Map.of());
    assertThat(lastRun(ctx).mounts()).containsExactly(new RunMount.Bind("/m", null, "/b", true));
    assertThat(lastStep(ctx).key().preimage()).contains("\"sha256\":\"fixed\"");
  }

  @Test
  void secretIdsButNoValuesEnterTheKeyAndInsecureIsPlanned() throws Exception {
    BuildPlan a = plan("FROM scratch\nRUN --mount=type=secret,id=a true\n", Map.of());
    BuildPlan b = plan("FROM scratch\nRUN --mount=type=secret,id=b true\n", Map.of());
    assertThat(lastStep(a).key()).isNotEqualTo(lastStep(b).key());
    assertThat(lastRun(a).insecure()).isFalse();
    assertThat(lastRun(plan("FROM scratch\nRUN --security=insecure true\n", Map.of())).insecure()).isTrue();
  }

  @Test
  void mountTargetOfRootIsAPositionedError() {
    assertThatThrownBy(() -> plan("FROM scratch\nRUN --mount=type=tmpfs,target=/ true\n", Map.of()))
        .isInstanceOf(DockerfileException.class)
        .hasMessageContaining("invalid mount target \"/\"");
  }
}
