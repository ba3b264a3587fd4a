package dev.gantry.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.ast.Diagnostic;
import dev.gantry.ast.Dockerfile;
import dev.gantry.ast.DockerfileException;
import dev.gantry.oci.Digest;
import dev.gantry.oci.ImageConfig;
import dev.gantry.oci.Platform;
import dev.gantry.plan.BaseImage;
import dev.gantry.plan.BaseResolver;
import dev.gantry.plan.LayerPlanner;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutants of the corpus Dockerfiles, parsed into instructions and planned (every image an
 * empty one, no file read): every failure is a {@link DockerfileException} whose diagnostics are
 * positioned one-line messages, and no mutant takes a second.
 */
class MutatedDockerfileTest {
  private static final int MUTANTS = 600;

  @Test
  void mutantsFailOnlyWithPositionedOneLineErrorsAndQuickly() throws Exception {
    List<byte[]> corpus = ParseCorpus.dockerfiles();
    Random random = new Random(20261204L);
    BaseResolver bases = (ref, platform) -> new BaseImage(ref.toString(), Digest.sha256(ref.toString()),
        ImageConfig.empty(platform), List.of());
    LayerPlanner.Options opt = new LayerPlanner.Options(Map.of(), null, Platform.parse("linux/amd64"),
        Platform.parse("linux/amd64"), Set.of(), Set.of(), bases, spec -> List.of(), t -> {
          throw new IllegalStateException("no base image has triggers here");
        });
    List<String> problems = new ArrayList<>();
    int planned = 0;
    int rejected = 0;
    for (int i = 0; i < MUTANTS && problems.size() < 5; i++) {
      byte[] mutant = corpus.get(random.nextInt(corpus.size()));
      for (int e = 1 + random.nextInt(4); e > 0; e--) {
        mutant = ParserRobustnessTest.mutate(mutant, random);
      }
      String text = new String(mutant, StandardCharsets.UTF_8);
      long t0 = System.nanoTime();
      try {
        Dockerfile df = Dockerfiles.parse("Dockerfile", mutant);
        LayerPlanner.plan(df, opt);
        planned++;
      } catch (DockerfileException ex) {
        rejected++;
        for (Diagnostic d : ex.diagnostics()) {
          if (d.range().startLine() < 1 || d.range().startColumn() < 1 || !d.headline().matches("Dockerfile:\\d+:\\d+: [^\\n]+")) {
            problems.add("unpositioned or multi-line " + d.headline() + " on " + text);
          }
        }
        if (ex.diagnostics().isEmpty()) {
          problems.add("no diagnostics on " + text);
        }
      } catch (RuntimeException | StackOverflowError ex) {
        problems.add(ex + " on " + text);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (seconds > 1.0) {
        problems.add(String.format("%.1f s on %s", seconds, text));
      }
    }
    System.out.println("mutants: " + planned + " planned, " + rejected + " rejected");
    assertThat(problems).isEmpty();
    assertThat(rejected).isPositive();
  }
}
