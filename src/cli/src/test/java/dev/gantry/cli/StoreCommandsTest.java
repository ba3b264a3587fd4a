package dev.gantry.cli;

import static dev.gantry.cli.CliTest.repo;
import static dev.gantry.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gantry images}, {@code rmi}, {@code du} and {@code prune} on a store a real build filled. */
class StoreCommandsTest {
  @TempDir Path tmp;

  @Test
  void listRemoveMeasureAndPrune() {
    String store = tmp.resolve("store").toString();
    String example = repo().resolve("examples/hello").toString();
    assertThat(run("build", "-q", "--cache-dir", store, "-t", "hello:1", "-t", "hello:2", example).code()).isZero();

    CliTest.Run images = run("images", "--cache-dir", store);
    assertThat(images.code()).isZero();
    String[] lines = images.out().split("\n");
    assertThat(lines[0]).matches("TAG +IMAGE ID +CREATED +SIZE");
    assertThat(lines[1]).matches("hello:1 +[0-9a-f]{12} +\\d+ years ago +[0-9.]+ KiB");
    assertThat(lines[2]).startsWith("hello:2 ");
    assertThat(lines[1].substring(lines[0].indexOf("CREATED"))).matches("\\d+ years ago +[0-9.]+ KiB");
    assertThat(lines[1].substring(lines[0].indexOf("SIZE"))).matches("[0-9.]+ KiB");
    CliTest.Run json = run("images", "--cache-dir", store, "--format", "json");
    assertThat(json.out().split("\n")).hasSize(2);
    assertThat(json.out()).startsWith("{\"Tag\":\"hello:1\",\"Digest\":\"sha256:")
        .contains("\"CreatedAt\":\"1970-01-01T00:00:00Z\"").contains("\"Pulled\":false");

    CliTest.Run du = run("du", "--cache-dir", store, "--verbose");
    assertThat(du.code()).isZero();
    assertThat(du.out()).containsPattern("blobs +\\d+ +")
        .containsPattern("cache records +\\d+ +").contains("RUN rootfs caches").contains("cache mounts")
        .containsPattern("total +[0-9.]+ KiB").contains("Largest entries:");

    CliTest.Run rmi = run("rmi", "--cache-dir", store, "hello:1", "nope:9");
    assertThat(rmi.code()).isEqualTo(1);
    assertThat(rmi.out()).isEqualTo("Untagged: hello:1\n");
    assertThat(rmi.err()).contains("error: no image tagged \"nope:9\" in the local store");
    assertThat(run("rmi", "--cache-dir", store, "hello:2").code()).isZero();
    assertThat(run("images", "--cache-dir", store).out()).isEqualTo("TAG   IMAGE ID   CREATED   SIZE\n");

    CliTest.Run prune = run("prune", "--cache-dir", store, "--all", "--filter", "until=0s");
    assertThat(prune.code()).isZero();
    assertThat(prune.out()).containsPattern("Removed \\d+ blobs, \\d+ cache records, 0 directories")
        .containsPattern("Total reclaimed space: [0-9.]+ KiB");
    assertThat(run("du", "--cache-dir", store).out()).containsPattern("blobs +0 +0 B");
  }

  @Test
  void badSizesAndFiltersAreUsageErrors() {
    String store = tmp.resolve("store").toString();
    CliTest.Run size = run("prune", "--cache-dir", store, "--keep-storage", "lots");
    assertThat(size.code()).isEqualTo(2);
    assertThat(size.err()).contains("error: not a size: \"lots\" (write e.g. 500MB, 2GiB or 1073741824)");
    CliTest.Run filter = run("prune", "--cache-dir", store, "--filter", "label=x");
    assertThat(filter.code()).isEqualTo(2);
    assertThat(filter.err()).contains("unknown filter 'label=x'");
    assertThat(run("prune", "--cache-dir", store, "--filter", "until=1d2").code()).isEqualTo(2);
    assertThat(run("rmi").code()).isEqualTo(2);
    CliTest.Run bound = run("build", "--store-max", "big", tmp.toString());
    assertThat(bound.code()).isEqualTo(2);
    assertThat(bound.err()).contains("not a size: \"big\"");
  }
}
