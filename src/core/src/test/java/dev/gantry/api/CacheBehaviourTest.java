package dev.gantry.api;

import static dev.gantry.api.EngineFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.BuildException;
import dev.gantry.model.StepResult;
import dev.gantry.oci.Digest;
import dev.gantry.store.Store;
import dev.gantry.store.StoreUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The step cache of a multi-stage, RUN-free build: an unchanged rebuild is all cache hits and writes
 * nothing; a changed file re-runs exactly the steps that read it and the ones after them (also in
 * stages that copy from it); {@code noCache} re-runs everything with the same result; and the
 * stored preimage of a key explains it with the changed file's digest.
 */
class CacheBehaviourTest {
  static final String DOCKERFILE = """
      FROM scratch AS assets
      COPY a.txt /assets/a.txt
      COPY b.txt /assets/b.txt
      LABEL stage=assets

      FROM scratch
      ENV APP=/app
      COPY c.txt d.txt /app/
      WORKDIR /app
      COPY --from=assets /assets /app/assets
      COPY e.txt /app/e.txt
      LABEL version=1
      CMD ["/app/c.txt"]
      """;

  /** Every step, as "STAGE TEXT"; the text is the history's created_by (BuildKit's omits --from too). */
  static final Set<String> ALL = Set.of(
      "assets COPY a.txt /assets/a.txt", "assets COPY b.txt /assets/b.txt", "assets LABEL stage=assets",
      "final ENV APP=/app", "final COPY c.txt d.txt /app/", "final WORKDIR /app",
      "final COPY --from=assets /assets /app/assets", "final COPY e.txt /app/e.txt", "final LABEL version=1",
      "final CMD [\"/app/c.txt\"]");

  @TempDir Path context;
  @TempDir Path store;

  @BeforeEach
  void context() throws Exception {
    write(context, "Dockerfile", DOCKERFILE, "rw-r--r--");
    for (String f : new String[] {"a", "b", "c", "d", "e"}) {
      write(context, f + ".txt", "file " + f + "\n", "rw-r--r--");
    }
  }

  BuildResult build(boolean noCache) throws BuildException {
    return new Gantry().build(BuildRequest.builder(context).storeDirectory(store).noCache(noCache).build());
  }

  /** Step label ("STAGE TEXT", the unnamed last stage called "final") -> cached. */
  static Map<String, Boolean> cached(BuildResult r) {
    Map<String, Boolean> m = new LinkedHashMap<>();
    for (StepResult s : r.steps()) {
      String stage = s.step().stage().equals("assets") ? "assets" : "final";
      m.put(stage + " " + s.step().text(), s.cached());
    }
    return m;
  }

  static Set<String> rerun(BuildResult r) {
    Set<String> out = new TreeSet<>();
    cached(r).forEach((k, v) -> {
      if (!v) {
        out.add(k);
      }
    });
    return out;
  }

  @Test
  void unchangedRebuildIsAllCachedAndWritesNothing() throws Exception {
    BuildResult first = build(false);
    assertThat(cached(first).keySet()).containsExactlyInAnyOrderElementsOf(ALL);
    assertThat(first.cachedSteps()).isZero();
    Map<String, Long> before = EngineFixtures.contents(store);
    StoreUsage usage = Store.open(store).usage();
    assertThat(before).isNotEmpty();

    BuildResult second = build(false);
    assertThat(cached(second)).hasSize(ALL.size()).allSatisfy((step, hit) -> assertThat(hit).as(step).isTrue());
    assertThat(second.manifestDigest()).isEqualTo(first.manifestDigest());
    assertThat(second.configDigest()).isEqualTo(first.configDigest());
    assertThat(EngineFixtures.contents(store)).isEqualTo(before);
    assertThat(Store.open(store).usage()).isEqualTo(usage);
  }

  @Test
  void changedFileRerunsItsStepAndWhatFollowsInItsStageOnly() throws Exception {
    BuildResult first = build(false);
    write(context, "e.txt", "file e, changed\n", "rw-r--r--");
    BuildResult second = build(false);
    assertThat(rerun(second)).containsExactlyInAnyOrder(
        "final COPY e.txt /app/e.txt", "final LABEL version=1", "final CMD [\"/app/c.txt\"]");
    assertThat(second.manifestDigest()).isNotEqualTo(first.manifestDigest());
  }

  @Test
  void aRerunCopyingFromACachedStageReadsThatStagesFilesBackFromItsLayers() throws Exception {
    build(false);
    write(context, "d.txt", "file d, changed\n", "rw-r--r--");
    // assets is all cached: its files come back from its layers, read when the final stage copies them
    BuildResult partly = build(false);
    assertThat(rerun(partly)).contains("final COPY --from=assets /assets /app/assets")
        .doesNotContain("assets COPY a.txt /assets/a.txt", "assets COPY b.txt /assets/b.txt");
    BuildResult fresh = build(true);
    assertThat(partly.manifestDigest()).isEqualTo(fresh.manifestDigest());
  }

  @Test
  void changedFileInAnEarlierStageRerunsTheStagesThatCopyFromIt() throws Exception {
    build(false);
    write(context, "b.txt", "file b, changed\n", "rw-r--r--");
    BuildResult second = build(false);
    assertThat(rerun(second)).containsExactlyInAnyOrder(
        "assets COPY b.txt /assets/b.txt", "assets LABEL stage=assets",
        "final COPY --from=assets /assets /app/assets", "final COPY e.txt /app/e.txt", "final LABEL version=1",
        "final CMD [\"/app/c.txt\"]");

    // Changing it back hits the cache of the first build for every step.
    write(context, "b.txt", "file b\n", "rw-r--r--");
    assertThat(build(false).cachedSteps()).isEqualTo(ALL.size());
  }

  @Test
  void noCacheRerunsEveryStepWithTheSameResult() throws Exception {
    BuildResult first = build(false);
    Map<String, Long> before = EngineFixtures.contents(store);
    BuildResult again = build(true);
    assertThat(again.steps()).hasSize(ALL.size()).noneMatch(StepResult::cached);
    assertThat(again.manifestDigest()).isEqualTo(first.manifestDigest());
    assertThat(again.configDigest()).isEqualTo(first.configDigest());
    // Same bytes again: the re-run wrote no blob the store did not already hold.
    assertThat(EngineFixtures.contents(store)).isEqualTo(before);
  }

  @Test
  void storedPreimageNamesTheChangedFilesDigest() throws Exception {
    BuildResult first = build(false);
    byte[] changed = "file d, changed\n".getBytes(StandardCharsets.UTF_8);
    write(context, "d.txt", changed, "rw-r--r--");
    BuildResult second = build(false);
    String oldKey = key(first, "final COPY c.txt d.txt /app/");
    String newKey = key(second, "final COPY c.txt d.txt /app/");
    assertThat(newKey).isNotEqualTo(oldKey);

    Store s = Store.open(store);
    String oldPre = s.preimage(Digest.parse(oldKey)).orElseThrow();
    String newPre = s.preimage(Digest.parse(newKey)).orElseThrow();
    String oldHex = Digest.sha256("file d\n").hex();
    String newHex = Digest.sha256(changed).hex();
    String cHex = Digest.sha256("file c\n").hex();
    assertThat(Digest.sha256(newPre)).hasToString(newKey);
    assertThat(newPre).contains(newHex, cHex, "d.txt").doesNotContain(oldHex);
    assertThat(oldPre).contains(oldHex, cHex).doesNotContain(newHex);
    // The step before it kept its key, and both preimages chain from it.
    String parent = key(second, "final ENV APP=/app");
    assertThat(parent).isEqualTo(key(first, "final ENV APP=/app"));
    assertThat(newPre).contains(parent);
    assertThat(oldPre).contains(parent);
  }

  static String key(BuildResult r, String label) {
    for (StepResult s : r.steps()) {
      String stage = s.step().stage().equals("assets") ? "assets" : "final";
      if ((stage + " " + s.step().text()).equals(label)) {
        return s.cacheKey().toString();
      }
    }
    throw new AssertionError("no step " + label + " in " + cached(r).keySet());
  }
}
