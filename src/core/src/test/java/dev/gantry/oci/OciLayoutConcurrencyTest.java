package dev.gantry.oci;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writers of one OCI layout, in threads or in processes, never lose each other's tags. */
class OciLayoutConcurrencyTest {
  private static final int WRITERS = 6;
  private static final int ROUNDS = 5;

  @TempDir Path tmp;

  /** A small image of its own for {@code tag}: no layers, a label naming it. */
  static Image image(String tag) {
    ImageConfig cfg = ImageConfig.empty(Platform.parse("linux/amd64")).withCreated(Instant.EPOCH)
        .withConfig(ContainerConfig.EMPTY.withLabels(Map.of("tag", tag)));
    return Image.oci(cfg, List.of());
  }

  private static Set<String> tags(Path layout) throws Exception {
    Set<String> tags = new TreeSet<>();
    for (Descriptor d : OciLayoutReader.open(layout).index().manifests()) {
      tags.add(d.annotations().get(OciLayoutWriter.REF_NAME));
    }
    return tags;
  }

  private static Set<String> expected(int round) {
    Set<String> tags = new TreeSet<>();
    for (int w = 0; w < WRITERS; w++) {
      tags.add("r" + round + "-w" + w);
    }
    return tags;
  }

  @Test
  void threadsWritingOneLayoutKeepEveryTag() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    try {
      for (int round = 0; round < ROUNDS; round++) {
        Path layout = tmp.resolve("threads-" + round);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> writes = new ArrayList<>();
        for (String tag : expected(round)) {
          writes.add(pool.submit(() -> {
            go.await();
            return OciLayoutWriter.at(layout).write(image(tag), List.of(tag));
          }));
        }
        go.countDown();
        for (Future<?> f : writes) {
          f.get(60, TimeUnit.SECONDS);
        }
        assertThat(tags(layout)).as("round " + round).isEqualTo(expected(round));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void processesWritingOneLayoutKeepEveryTag() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      Path layout = tmp.resolve("processes-" + round);
      Path go = tmp.resolve("go-" + round);
      List<Process> writers = new ArrayList<>();
      for (String tag : expected(round)) {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), LayoutWriterMain.class.getName(),
            layout.toString(), go.toString(), tag).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        writers.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("ready");
      }
      Files.createFile(go);
      for (Process p : writers) {
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
      }
      assertThat(tags(layout)).as("round " + round).isEqualTo(expected(round));
    }
  }
}
