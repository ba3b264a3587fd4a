package dev.gantry.builder;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the times of files in new layers come from, as in BuildKit: RUN output, unpacked archive
 * entries and {@code COPY --from} keep their own times; files copied from the build context get
 * SOURCE_DATE_EPOCH; {@code rewriteTimestamp} clamps every time after the epoch to it and is part
 * of the cache key.
 */
class FileTimesTest {
  private static final Instant TOUCHED = Instant.parse("2001-02-03T04:05:06Z");
  /** The time {@link TestTars} gives every archive entry. */
  private static final Instant ARCHIVED = Instant.ofEpochSecond(1_600_000_000L);
  private static final Instant EPOCH = Instant.parse("2000-01-01T00:00:00Z");
  private static final String DOCKERFILE = "FROM scratch AS src\nADD base.tar /\n"
      + "RUN touch -d '2001-02-03 04:05:06' /f && echo > /g\n"
      + "FROM src\nADD a.tar /arch/\nCOPY ctx.txt /ctx.txt\nCOPY --from=src /f /copied-f\n"
      + "COPY <<EOF /doc.txt\nheredoc\nEOF\n";
  @TempDir Path work;
  BuildFixture fx;

  @BeforeEach
  void setUp() throws IOException {
    fx = new BuildFixture(work.resolve("app"));
    fx.write("a.tar", new TestTars().dir("t/", 0755, 0, 0).file("t/old", "old").tar());
    fx.write("ctx.txt", "context");
    Files.setLastModifiedTime(fx.context.resolve("ctx.txt"), java.nio.file.attribute.FileTime.from(TOUCHED));
  }

  @Test
  void rewriteTimestampLeavesTheParentsACopyOnlyRelistsAsTheyWere() throws Exception {
    BuildFixture base = new BuildFixture(work.resolve("base"));
    base.write("a.tar", new TestTars().dir("t/", 0755, 0, 0).file("t/old", "old").tar());
    base.dockerfile("FROM scratch\nADD a.tar /arch/\n").build(r -> r.tag("base:1"));
    fx.dockerfile("FROM base\nCOPY ctx.txt /arch/t/new\nCOPY --from=base /arch/t/old /copied\n");
    fx.build(r -> r.sourceDateEpoch(EPOCH.getEpochSecond()).rewriteTimestamp(true)
        .buildContext("base", "oci-layout://" + base.out + ":1"));
    Map<String, Instant> t = fx.mtimes();
    assertThat(t.get("arch/t")).as("re-listed by the COPY with the base's metadata").isEqualTo(ARCHIVED);
    assertThat(t.get("arch/t/new")).isEqualTo(EPOCH);
    assertThat(t.get("copied")).as("clamped").isEqualTo(EPOCH);
  }

  @Test
  void runOutputArchivesAndOtherStagesKeepTheirTimesContextFilesGetTheEpoch() throws Exception {
    fx.writeBusyboxBase();
    fx.dockerfile(DOCKERFILE);
    Instant start = Instant.now().minusSeconds(2);
    fx.build(r -> r.sourceDateEpoch(EPOCH.getEpochSecond()));
    Map<String, Instant> t = fx.mtimes();
    assertThat(t.get("f")).isEqualTo(TOUCHED);
    assertThat(t.get("g")).isAfter(start);
    assertThat(t.get("arch/t/old")).isEqualTo(ARCHIVED);
    assertThat(t.get("arch/t")).isEqualTo(ARCHIVED);
    assertThat(t.get("copied-f")).isEqualTo(TOUCHED);
    assertThat(t.get("ctx.txt")).isEqualTo(EPOCH);
    assertThat(t.get("doc.txt")).isEqualTo(EPOCH);
    assertThat(t.get("bin/busybox")).isEqualTo(Instant.EPOCH);
  }

  @Test
  void rewriteTimestampClampsEveryNewerTimeAndIsPartOfTheCacheKey() throws Exception {
    fx.writeBusyboxBase();
    fx.dockerfile(DOCKERFILE);
    fx.build(r -> r.sourceDateEpoch(EPOCH.getEpochSecond()));
    Instant ran = fx.mtimes().get("g");
    // the steps of the build before are in the store: only a different key keeps them from being reused
    fx.build(r -> r.sourceDateEpoch(EPOCH.getEpochSecond()).rewriteTimestamp(true));
    Map<String, Instant> t = fx.mtimes();
    for (String p : new String[] {"f", "g", "arch/t/old", "arch/t", "copied-f", "ctx.txt", "doc.txt"}) {
      assertThat(t.get(p)).as(p).isEqualTo(EPOCH);
    }
    assertThat(t.get("bin/busybox")).as("older times stay").isEqualTo(Instant.EPOCH);
    fx.build(r -> r.sourceDateEpoch(EPOCH.getEpochSecond()));
    assertThat(fx.mtimes().get("g")).as("the first build's RUN layer, reused").isEqualTo(ran);
  }
}
