package dev.gantry.builder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.oci.Platform;
import dev.gantry.plan.BuildPlan;
import dev.gantry.plan.CacheKey;
import dev.gantry.plan.PlannedStage;
import dev.gantry.plan.PlannedStep;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Changing one input of a build changes exactly the cache keys that depend on it: the step that
 * reads it and the steps after it in its stage (and the stages built on them), never an earlier
 * step or an independent stage. Steps are named {@code stage/number}; {@code stage/0} is the
 * stage's base key.
 */
class PlanKeySensitivityTest {
  private static final String DOCKERFILE = """
      FROM scratch AS other
      COPY other.txt /other/
      FROM scratch
      ENV A=1
      COPY first.txt /first/
      ARG LEVEL=1
      RUN echo level
      COPY second.txt /second/
      RUN echo done
      COPY --from=other /other /o
      """;
  private static final Set<String> MAIN_FROM_ARG = Set.of("stage-1/3", "stage-1/4", "stage-1/5", "stage-1/6",
      "stage-1/7");

  @TempDir Path temp;
  private int runs;

  private interface Change {
    void apply(PlanFixture f) throws IOException;
  }

  /** Keys of a plan of {@link #DOCKERFILE} over a fresh context, after {@code change}. */
  private Map<String, CacheKey> keys(Change change) throws IOException {
    PlanFixture f = new PlanFixture(Files.createDirectory(temp.resolve("run" + runs++)));
    for (String name : new String[] {"other.txt", "first.txt", "second.txt"}) {
      Path file = f.context().resolve(name);
      Files.writeString(file, name + " content\n", StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
      Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000_000L));
    }
    Files.setPosixFilePermissions(f.context(), PosixFilePermissions.fromString("rwxr-xr-x"));
    change.apply(f);
    BuildPlan plan = f.plan(DOCKERFILE);
    Map<String, CacheKey> out = new LinkedHashMap<>();
    for (PlannedStage s : plan.stages()) {
      out.put(s.name() + "/0", s.baseKey());
      for (PlannedStep p : s.steps()) {
        out.put(s.name() + "/" + p.number(), p.key());
      }
    }
    return out;
  }

  private void assertChanges(Change change, Set<String> expected) throws IOException {
    Map<String, CacheKey> before = keys(f -> {});
    Map<String, CacheKey> after = keys(change);
    assertThat(after.keySet()).containsExactlyElementsOf(before.keySet());
    Set<String> changed = new TreeSet<>();
    before.forEach((step, key) -> {
      if (!key.equals(after.get(step))) {
        changed.add(step);
      }
    });
    assertThat(changed).isEqualTo(new TreeSet<>(expected));
  }

  @Test
  void samePlanTwiceGivesTheSameKeys() throws IOException {
    assertChanges(f -> {}, Set.of());
  }

  @Test
  void aFilesContentChangesTheStepThatCopiesItAndLaterStepsOnly() throws IOException {
    assertChanges(f -> Files.writeString(f.context().resolve("second.txt"), "edited\n"),
        Set.of("stage-1/5", "stage-1/6", "stage-1/7"));
    assertChanges(f -> Files.writeString(f.context().resolve("first.txt"), "edited\n"),
        Set.of("stage-1/2", "stage-1/3", "stage-1/4", "stage-1/5", "stage-1/6", "stage-1/7"));
  }

  @Test
  void aFilesModeChangesItsKeysButItsModificationTimeDoesNot() throws IOException {
    assertChanges(f -> Files.setPosixFilePermissions(f.context().resolve("second.txt"),
        PosixFilePermissions.fromString("rwxr-xr-x")), Set.of("stage-1/5", "stage-1/6", "stage-1/7"));
    assertChanges(f -> Files.setLastModifiedTime(f.context().resolve("second.txt"),
        FileTime.fromMillis(2_000_000_000L)), Set.of());
  }

  @Test
  void anInputOfAnotherStageChangesItAndTheCopyFromItOnly() throws IOException {
    assertChanges(f -> Files.writeString(f.context().resolve("other.txt"), "edited\n"),
        Set.of("other/1", "stage-1/7"));
  }

  @Test
  void aBuildArgChangesKeysFromTheArgThatDeclaresItAndAnUndeclaredOneNone() throws IOException {
    assertChanges(f -> f.buildArg("LEVEL", "2"), MAIN_FROM_ARG);
    assertChanges(f -> f.buildArg("UNDECLARED", "2"), Set.of());
  }

  @Test
  void theTargetPlatformChangesEveryKey() throws IOException {
    Map<String, CacheKey> all = keys(f -> {});
    assertChanges(f -> f.platform(Platform.parse("linux/arm64")), all.keySet());
  }
}
