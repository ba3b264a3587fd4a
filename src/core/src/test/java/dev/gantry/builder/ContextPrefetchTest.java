package dev.gantry.builder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.context.FileDigests;
import dev.gantry.plan.CopySpec;
import dev.gantry.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A COPY's context files digested in the background before the planner asks are not read again
 * when it does, and describe the same inputs.
 */
class ContextPrefetchTest {
  @TempDir Path temp;

  private static CopySpec copy(String... sources) {
    return new CopySpec(false, null, List.of(sources), List.of(), "/", null, null, false, false, List.of(), null, null);
  }

  @Test
  void prefetchedFilesAreReadOnceAndDescribedAlike() throws Exception {
    Path ctx = Files.createDirectories(temp.resolve("ctx"));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nCOPY deps /deps\n");
    Path deps = Files.createDirectories(ctx.resolve("deps"));
    for (int i = 0; i < 64; i++) {
      Path f = Files.write(deps.resolve("dep" + i + ".jar"), new byte[64 * 1024 + i]);
      // old enough not to be racy: a digest read now is cached
      Files.setLastModifiedTime(f, FileTime.from(Instant.now().minusSeconds(600)));
    }
    Store store = Store.open(temp.resolve("store"));
    CopySpec spec = copy("deps");

    FileDigests digests = FileDigests.withCache(temp.resolve("cache"));
    ContextInputs inputs = new ContextInputs(new Contexts(ctx, ctx.resolve("Dockerfile"), Map.of()), digests,
        new UrlSources(store));
    inputs.prefetch(List.of(spec));
    Object described = inputs.describe(spec);
    inputs.stop();

    ContextInputs plain = new ContextInputs(new Contexts(ctx, ctx.resolve("Dockerfile"), Map.of()),
        FileDigests.withCache(temp.resolve("cache-plain")), new UrlSources(store));
    assertThat(described).isEqualTo(plain.describe(spec));
    assertThat(digests.contentReads()).as("every file read once, by whichever asked first").isEqualTo(64);
  }

  @Test
  void aFailingPrefetchLeavesTheErrorToDescribe() throws Exception {
    Path ctx = Files.createDirectories(temp.resolve("ctx"));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\n");
    ContextInputs inputs = new ContextInputs(new Contexts(ctx, ctx.resolve("Dockerfile"), Map.of()),
        FileDigests.withCache(temp.resolve("cache")), new UrlSources(Store.open(temp.resolve("store"))));
    inputs.prefetch(List.of(copy("missing.txt")));
    org.junit.jupiter.api.Assertions.assertThrows(dev.gantry.plan.InputDigester.MissingSourceException.class,
        () -> inputs.describe(copy("missing.txt")));
  }
}
