package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gantry build --cache-to/--cache-from}: buildx's syntax, usage errors with the accepted forms, a round trip. */
class CacheFlagsCliTest {
  @TempDir Path tmp;

  @Test
  void badSpecificationsAreUsageErrorsNamingTheProblemAndTheForms() throws Exception {
    Path ctx = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nENV A=1\n");
    CliTest.Run mode = CliTest.run("build", "--cache-to", "type=registry,ref=r.example/c:1,mode=all", ctx.toString());
    assertThat(mode.code()).isEqualTo(2);
    assertThat(mode.err()).contains("error: --cache-to mode must be min or max, not 'all'");
    CliTest.Run type = CliTest.run("build", "--cache-from", "type=s3,bucket=b", ctx.toString());
    assertThat(type.code()).isEqualTo(2);
    assertThat(type.err()).contains("error: --cache-from has unknown field 'bucket'; use type=registry,ref=REF or"
        + " type=local,src=DIR");
    CliTest.Run dest = CliTest.run("build", "--cache-to", "type=local,src=" + tmp, ctx.toString());
    assertThat(dest.err()).contains("error: --cache-to has unknown field 'src'; use type=registry,ref=REF[,mode=min|max]"
        + " or type=local,dest=DIR[,mode=min|max]");
    CliTest.Run noRef = CliTest.run("build", "--cache-from", "type=registry", ctx.toString());
    assertThat(noRef.err()).contains("error: --cache-from type=registry needs ref= (and nothing else)");
  }

  @Test
  void aDirectoryCacheMakesEveryStepOfAnotherStoreCached() throws Exception {
    Path ctx = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(ctx.resolve("a.txt"), "a\n");
    Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nCOPY a.txt /a.txt\nENV A=1\n");
    Path cache = tmp.resolve("ci-cache");
    CliTest.Run first = CliTest.run("build", "--progress", "plain", "--cache-dir", tmp.resolve("store-a").toString(),
        "--cache-to", "type=local,dest=" + cache + ",mode=max", ctx.toString());
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.err()).doesNotContain("CACHED");
    CliTest.Run second = CliTest.run("build", "--progress", "plain", "--cache-dir", tmp.resolve("store-b").toString(),
        "--cache-from", "type=local,src=" + cache, ctx.toString());
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(second.err().lines().filter(l -> l.endsWith("CACHED"))).hasSize(2);
  }
}
