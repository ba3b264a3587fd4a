package dev.gantry.builder;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.Goldens;
import dev.gantry.TestPaths;
import dev.gantry.oci.Digest;
import dev.gantry.oci.Platform;
import dev.gantry.plan.BuildPlan;
import dev.gantry.plan.CacheKey;
import dev.gantry.plan.PlannedStage;
import dev.gantry.plan.PlannedStep;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden cache-key preimages in {@code testdata/plan/<case>/}: a {@code Dockerfile}, the context
 * in {@code context/} (with its {@code .dockerignore}), named directory contexts in
 * {@code contexts/<name>/}, image contexts in {@code images/<name>.json} (an image config, put in
 * an OCI layout with no layers), optional {@code options.properties} ({@code arg.NAME=value},
 * {@code target}, {@code platform}, {@code network}), and {@code preimages.txt}: every planned step
 * with its cache key and canonical preimage (pretty-printed; the key pins the exact bytes).
 *
 * <p>A change to {@code preimages.txt} changes cache keys: every user's cache misses once. Make it
 * only deliberately (and bump {@link CacheKey#VERSION} when a preimage's meaning changes), then run
 * with {@code -Dgantry.updateGoldens=true} to rewrite the files and review the diff.
 */
class PlanGoldenTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;

  static Stream<String> cases() throws IOException {
    try (Stream<Path> dirs = Files.list(TestPaths.testdata("plan"))) {
      return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void preimagesAndKeysAreExactlyTheGoldenOnes(String name) throws IOException {
    Path dir = TestPaths.testdata("plan").resolve(name);
    BuildPlan plan = fixture(dir).plan(Files.readString(dir.resolve("Dockerfile"), StandardCharsets.UTF_8));

    String actual = describe(plan);
    Goldens.assertMatches(dir.resolve("preimages.txt"), actual);
  }

  private PlanFixture fixture(Path dir) throws IOException {
    PlanFixture f = new PlanFixture(temp);
    if (Files.isDirectory(dir.resolve("context"))) {
      f.context(dir.resolve("context"));
    }
    for (Path named : list(dir.resolve("contexts"))) {
      f.directory(named.getFileName().toString(), named);
    }
    for (Path image : list(dir.resolve("images"))) {
      f.image(image.getFileName().toString().replaceFirst("\\.json$", ""), PlanFixture.config(image));
    }
    Properties options = new Properties();
    if (Files.exists(dir.resolve("options.properties"))) {
      try (Reader r = Files.newBufferedReader(dir.resolve("options.properties"))) {
        options.load(r);
      }
    }
    for (String key : new TreeSet<>(options.stringPropertyNames())) {
      String value = options.getProperty(key);
      if (key.startsWith("arg.")) {
        f.buildArg(key.substring(4), value);
      } else if (key.equals("target")) {
        f.target(value);
      } else if (key.equals("platform")) {
        f.platform(Platform.parse(value));
      } else if (key.equals("network")) {
        f.network(value);
      } else {
        throw new IllegalArgumentException(dir + "/options.properties: unknown option " + key);
      }
    }
    return f;
  }

  private static Iterable<Path> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return java.util.List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  /** Each stage's base key, then each step's key and text, each followed by its preimage. */
  private static String describe(BuildPlan plan) throws IOException {
    StringBuilder sb = new StringBuilder("# Cache keys (PlanGoldenTest). A change is a deliberate cache-version bump:\n"
        + "# bump CacheKey.VERSION, then rewrite with -Dgantry.updateGoldens=true and review the diff.\n");
    for (PlannedStage s : plan.stages()) {
      sb.append("stage ").append(s.name()).append(" from ").append(s.base()).append(" on ").append(s.platform())
          .append('\n');
      key(sb, "base", s.baseKey());
      for (PlannedStep p : s.steps()) {
        key(sb, "step " + p.number() + "/" + p.count() + " " + p.text(), p.key());
      }
    }
    for (String w : plan.warnings()) {
      sb.append("warning: ").append(w).append('\n');
    }
    return sb.toString();
  }

  private static void key(StringBuilder sb, String what, CacheKey key) throws IOException {
    assertThat(key.digest()).as("the key of " + what).isEqualTo(Digest.sha256(key.preimage()));
    sb.append(what).append('\n').append("  key ").append(key.digest()).append('\n');
    for (String line : JSON.readTree(key.preimage()).toPrettyString().split("\n")) {
      sb.append("  ").append(line).append('\n');
    }
  }
}
