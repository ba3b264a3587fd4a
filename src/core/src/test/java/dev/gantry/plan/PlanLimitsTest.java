package dev.gantry.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gantry.ast.Diagnostic;
import dev.gantry.ast.DockerfileException;
import dev.gantry.oci.Platform;
import dev.gantry.parse.Dockerfiles;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Planning is linear in the Dockerfile's length (no step copies the config, the variables or the
 * preimages of the steps before it), and words and variables that expansion would blow up are
 * refused at their instruction.
 */
class PlanLimitsTest {
  private static BuildPlan plan(String dockerfile) throws Exception {
    var df = Dockerfiles.parse("Dockerfile", dockerfile.getBytes(StandardCharsets.UTF_8));
    BaseResolver bases = (ref, platform) -> {
      throw new BaseResolver.UnresolvableBaseException("no images here", null);
    };
    var opt = new LayerPlanner.Options(Map.of(), null, Platform.parse("linux/amd64"), Platform.parse("linux/amd64"),
        Set.of(), Set.of(), bases, spec -> List.of(), t -> {
          throw new IllegalStateException();
        });
    return LayerPlanner.plan(df, opt);
  }

  private static String lines(String format, int count) {
    StringBuilder sb = new StringBuilder("FROM scratch\n");
    for (int i = 0; i < count; i++) {
      sb.append(String.format(format, i)).append('\n');
    }
    return sb.toString();
  }

  private static long preimageChars(BuildPlan p) {
    return p.stages().get(0).steps().stream().mapToLong(s -> s.key().preimage().length()).sum();
  }

  @Test
  void fiftyThousandLabelsPlanInLinearTimeAndSpace() throws Exception {
    String df = lines("LABEL k%1$d=v%1$d", 50_000);
    long t0 = System.nanoTime();
    BuildPlan p = plan(df);
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("plan of 50000 LABEL lines: %.1f s%n", seconds);
    PlannedStage stage = p.stages().get(0);
    assertThat(stage.steps()).hasSize(50_000);
    assertThat(stage.resultConfig().labels()).hasSize(50_000).containsEntry("k49999", "v49999");
    assertThat(preimageChars(p)).as("preimage characters").isLessThan(50_000L * 400);
    assertThat(seconds).as("planning seconds").isLessThan(20.0);
  }

  @Test
  void envPreimagesNameOnlyTheirOwnChange() throws Exception {
    long small = preimageChars(plan(lines("ENV VARIABLE_%1$d=value_%1$d", 2_000)));
    long large = preimageChars(plan(lines("ENV VARIABLE_%1$d=value_%1$d", 4_000)));
    assertThat((double) large / small).as("preimage characters, 4000 over 2000 ENV lines").isLessThan(2.2);
    BuildPlan one = plan("FROM scratch\nENV A=1\nENV B=2\nRUN true\n");
    BuildPlan two = plan("FROM scratch\nENV A=x\nENV B=2\nRUN true\n");
    assertThat(one.stages().get(0).steps().get(2).key()).as("a changed ENV changes every later key")
        .isNotEqualTo(two.stages().get(0).steps().get(2).key());
    assertThat(((StepAction.RunCommand) one.stages().get(0).steps().get(2).action()).env()).contains("A=1", "B=2");
  }

  @Test
  void aWordThatDoublesPastOneMebibyteFailsAtItsLine() {
    StringBuilder df = new StringBuilder("FROM scratch\nENV A0=x\n");
    for (int i = 0; i < 30; i++) {
      df.append("ENV A").append(i + 1).append("=${A").append(i).append("}${A").append(i).append("}\n");
    }
    Diagnostic d = catchThrowableOfType(() -> plan(df.toString()), DockerfileException.class).diagnostics().get(0);
    // A20 is 2^20 characters, exactly the limit; A21 (line 23) would be twice that
    assertThat(d.headline()).startsWith("Dockerfile:23:1: failed to process \"${A20}${A20}\": the expansion is longer"
        + " than the limit of 1048576 characters (1 MiB)");
    assertThat(d.hint()).contains("COPY");
  }

  @Test
  void variablesPastSixteenMebibytesFailAtTheInstructionThatAddsThem() {
    StringBuilder df = new StringBuilder("FROM scratch\nENV A0=x\n");
    for (int i = 0; i < 20; i++) {
      df.append("ENV A").append(i + 1).append("=${A").append(i).append("}${A").append(i).append("}\n");
    }
    for (int i = 0; i < 20; i++) {
      df.append("ARG B").append(i).append("=${A20}\n");
    }
    Diagnostic d = catchThrowableOfType(() -> plan(df.toString()), DockerfileException.class).diagnostics().get(0);
    // A0..A20 hold 2 MiB; each B adds 1 MiB, and B13 (line 36) takes the total past 16 MiB
    assertThat(d.headline()).startsWith("Dockerfile:36:1: the variables of this stage would hold")
        .contains("more than the limit of 16777216 (16 MiB); B13 is 1048576 characters long");
  }
}
