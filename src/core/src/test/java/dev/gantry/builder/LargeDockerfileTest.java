package dev.gantry.builder;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.oracle.ImageSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dockerfiles with many metadata steps build in time and store space linear in their length: no
 * step copies the state of the steps before it into its config, its cache record or its key.
 */
class LargeDockerfileTest {
  @TempDir Path tmp;

  private static String lines(String format, int count) {
    StringBuilder sb = new StringBuilder("FROM scratch\n");
    for (int i = 0; i < count; i++) {
      sb.append(String.format(format, i)).append('\n');
    }
    return sb.toString();
  }

  /**
   * Each step still writes (and syncs) its cache record, so the time is mostly the disk's; the
   * planner's share is checked on 50,000 lines by {@code PlanLimitsTest}.
   */
  @Test
  void fiveThousandLabelsBuild() throws Exception {
    BuildFixture f = new BuildFixture(tmp).dockerfile(lines("LABEL k%1$d=v%1$d", 5_000));
    long t0 = System.nanoTime();
    ImageSnapshot image = f.build();
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("5000 LABEL lines: %.1f s%n", seconds);
    JsonNode labels = new ObjectMapper().readTree(image.config().get("Labels"));
    assertThat(labels.size()).isEqualTo(5_000);
    assertThat(labels.path("k4999").asText()).isEqualTo("v4999");
    assertThat(seconds).as("build seconds").isLessThan(120.0);
  }

  @Test
  void storeGrowsLinearlyWithEnvLines() throws Exception {
    long small = recordBytes(tmp.resolve("small"), 2_000);
    long large = recordBytes(tmp.resolve("large"), 4_000);
    double ratio = (double) large / small;
    System.out.printf("ENV records: 2000 lines %d bytes, 4000 lines %d bytes, ratio %.2f%n", small, large, ratio);
    assertThat(ratio).as("record bytes of 4000 over 2000 ENV lines").isLessThan(2.5);
  }

  @Test
  void envLinesKeepTheirConfigOrderAndValues() throws Exception {
    BuildFixture f = new BuildFixture(tmp).dockerfile(
        "FROM scratch\nENV A=1 B=2\nARG C=3\nENV A=${B}${C} D=$A\nLABEL x=$A y=$D\nLABEL x=again\n");
    ImageSnapshot image = f.build();
    assertThat(image.config().get("Env"))
        .isEqualTo("[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\",\"A=23\",\"B=2\",\"D=1\"]");
    assertThat(image.config().get("Labels")).isEqualTo("{\"x\":\"again\",\"y\":\"1\"}");
  }

  private static long recordBytes(Path work, int envLines) throws Exception {
    BuildFixture f = new BuildFixture(work).dockerfile(lines("ENV VARIABLE_%1$d=value_%1$d", envLines));
    f.build();
    try (Stream<Path> s = Files.walk(f.store.resolve("v1").resolve("records"))) {
      return s.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).sum();
    }
  }
}
