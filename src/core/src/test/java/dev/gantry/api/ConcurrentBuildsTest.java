package dev.gantry.api;

import static dev.gantry.api.EngineFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.BuildEvent;
import dev.gantry.model.BuildException;
import dev.gantry.model.BuildListener;
import dev.gantry.model.StepResult;
import dev.gantry.oci.Digest;
import dev.gantry.store.Store;
import dev.gantry.store.VerifyReport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two builds on one store at the same moment, from two threads and from two JVM processes, of the
 * same Dockerfile and of two Dockerfiles that share their first layer: both succeed with the digests
 * a build alone produces, the store verifies clean, and a later build there is all cache hits.
 */
class ConcurrentBuildsTest {
  static final String A = """
      FROM scratch
      COPY big.bin /data/big.bin
      COPY one.txt /data/
      LABEL which=a
      """;
  static final String B = """
      FROM scratch
      COPY big.bin /data/big.bin
      COPY two.txt /data/
      ENV WHICH=b
      """;

  @TempDir static Path shared;
  static Path context;
  static Digest expectedA;
  static Digest expectedB;

  @BeforeAll
  static void contextAndExpectedDigests() throws Exception {
    context = Files.createDirectories(shared.resolve("context"));
    write(context, "Dockerfile.a", A, "rw-r--r--");
    write(context, "Dockerfile.b", B, "rw-r--r--");
    write(context, "big.bin", EngineFixtures.noise(3 << 20, 7), "rw-r--r--");
    write(context, "one.txt", "one\n", "rw-r--r--");
    write(context, "two.txt", "two\n", "rw-r--r--");
    expectedA = build("a", shared.resolve("alone-a")).manifestDigest();
    expectedB = build("b", shared.resolve("alone-b")).manifestDigest();
    assertThat(expectedA).isNotEqualTo(expectedB);
  }

  static BuildResult build(String which, Path store) throws BuildException {
    return build(which, store, BuildListener.NONE);
  }

  static BuildResult build(String which, Path store, BuildListener listener) throws BuildException {
    return new Gantry().build(BuildRequest.builder(context).dockerfile(context.resolve("Dockerfile." + which))
        .storeDirectory(store).listener(listener).build());
  }

  /**
   * Holds a build at its first step (after its cache lookup) until the other build got there too, so
   * that both really run at once: neither has written anything when the other looks up its keys.
   */
  static BuildListener meetAtFirstStep(CountDownLatch bothThere, List<String> firstEvents) {
    return e -> {
      if ((e instanceof BuildEvent.Started || e instanceof BuildEvent.Cached) && e.step().number() == 1) {
        firstEvents.add(e.getClass().getSimpleName());
        bothThere.countDown();
        try {
          bothThere.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }

  static Digest expected(String which) {
    return which.equals("a") ? expectedA : expectedB;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"a,a", "a,b"})
  void twoThreads(String pair, @TempDir Path store) throws Exception {
    String[] which = pair.split(",");
    CountDownLatch start = new CountDownLatch(1);
    CountDownLatch bothThere = new CountDownLatch(2);
    List<String> firstEvents = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<BuildResult>> results = new ArrayList<>();
      for (String w : which) {
        results.add(pool.submit(() -> {
          start.await();
          return build(w, store, meetAtFirstStep(bothThere, firstEvents));
        }));
      }
      start.countDown();
      for (int i = 0; i < 2; i++) {
        assertThat(results.get(i).get(120, TimeUnit.SECONDS).manifestDigest()).isEqualTo(expected(which[i]));
      }
      // Both missed the shared first step and wrote its 3 MiB layer at the same time.
      assertThat(firstEvents).containsExactly("Started", "Started");
    } finally {
      pool.shutdownNow();
    }
    assertStoreConsistent(store, which);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"a,a", "a,b"})
  void twoProcesses(String pair, @TempDir Path work) throws Exception {
    String[] which = pair.split(",");
    Path store = work.resolve("store");
    Path go = work.resolve("go");
    List<Process> children = new ArrayList<>();
    List<BufferedReader> outputs = new ArrayList<>();
    try {
      for (String w : which) {
        Process p = new ProcessBuilder(EngineFixtures.childJvm(List.of(), List.of(context.toString(),
            store.toString(), "--dockerfile", context.resolve("Dockerfile." + w).toString(), "--go", go.toString())))
            .redirectErrorStream(true).start();
        children.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        outputs.add(out);
      }
      for (BufferedReader out : outputs) {
        assertThat(out.readLine()).isEqualTo("ready");
      }
      Files.createFile(go);
      for (int i = 0; i < 2; i++) {
        assertThat(EngineFixtures.awaitDigest(children.get(i), outputs.get(i))).isEqualTo(expected(which[i]));
      }
    } finally {
      children.forEach(Process::destroyForcibly);
    }
    assertStoreConsistent(store, which);
  }

  private static void assertStoreConsistent(Path store, String[] which) throws Exception {
    VerifyReport report = Store.open(store).verify();
    assertThat(report.ok()).as("corrupt blobs: %s", report.corrupt()).isTrue();
    assertThat(report.checked()).isGreaterThanOrEqualTo(4);
    try (var tmp = Files.list(store.resolve("v1/tmp"))) {
      assertThat(tmp.toList()).as("temporary files left").isEmpty();
    }
    for (String w : which) {
      BuildResult again = build(w, store);
      assertThat(again.manifestDigest()).isEqualTo(expected(w));
      assertThat(again.steps()).isNotEmpty().allMatch(StepResult::cached);
    }
  }
}
