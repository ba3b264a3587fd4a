package dev.gantry.builder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.api.BuildRequest;
import dev.gantry.api.BuildResult;
import dev.gantry.api.Gantry;
import dev.gantry.model.BuildEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cache miss says what changed since the step was last built. */
class CacheMissExplanationTest {
  @TempDir Path tmp;

  private List<BuildEvent.CacheMiss> build(Path ctx, String arg) throws Exception {
    return build(ctx, arg, UnaryOperator.identity());
  }

  private List<BuildEvent.CacheMiss> build(Path ctx, String arg, UnaryOperator<BuildRequest.Builder> options)
      throws Exception {
    List<BuildEvent.CacheMiss> misses = new CopyOnWriteArrayList<>();
    BuildResult r = new Gantry().build(options.apply(BuildRequest.builder(ctx)).storeDirectory(tmp.resolve("store"))
        .buildArg("V", arg).listener(e -> {
          if (e instanceof BuildEvent.CacheMiss m) {
            misses.add(m);
          }
        }).build());
    assertThat(r.manifestDigest()).isNotNull();
    return misses;
  }

  @Test
  void namesTheChangedFileAndTheChangedArgument() throws Exception {
    Path ctx = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(ctx.resolve("Dockerfile"),
        "FROM scratch\nCOPY a.txt b.txt /app/\nARG V\nENV V=$V\nCOPY c.txt /c/\n");
    Files.writeString(ctx.resolve("a.txt"), "a");
    Files.writeString(ctx.resolve("b.txt"), "b");
    Files.writeString(ctx.resolve("c.txt"), "c");
    assertThat(build(ctx, "1")).isEmpty();
    assertThat(build(ctx, "1")).isEmpty();

    Files.writeString(ctx.resolve("b.txt"), "b2");
    List<BuildEvent.CacheMiss> misses = build(ctx, "1");
    assertThat(misses).hasSize(1);
    assertThat(misses.get(0).step().text()).startsWith("COPY a.txt b.txt");
    assertThat(misses.get(0).reason()).isEqualTo("file b.txt changed");

    misses = build(ctx, "2");
    assertThat(misses).hasSize(1);
    assertThat(misses.get(0).step().text()).startsWith("ARG V");
    assertThat(misses.get(0).reason()).contains("build arg V changed");
  }

  @Test
  void namesTheRewriteTimestampOptionAndItsEpoch() throws Exception {
    Path ctx = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nCOPY a.txt /app/\n");
    Files.writeString(ctx.resolve("a.txt"), "a");
    assertThat(build(ctx, "1")).isEmpty();
    List<BuildEvent.CacheMiss> misses = build(ctx, "1", r -> r.rewriteTimestamp(true));
    assertThat(misses).hasSize(1);
    assertThat(misses.get(0).reason()).isEqualTo("--rewrite-timestamp was turned on");
    misses = build(ctx, "1", r -> r.rewriteTimestamp(true).sourceDateEpoch(1_000_000_000L));
    assertThat(misses).hasSize(1);
    assertThat(misses.get(0).reason()).isEqualTo("the epoch of --rewrite-timestamp changed");
    assertThat(build(ctx, "1")).isEmpty();
  }
}
