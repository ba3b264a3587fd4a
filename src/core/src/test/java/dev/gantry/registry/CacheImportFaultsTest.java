package dev.gantry.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.api.BuildRequest;
import dev.gantry.api.BuildResult;
import dev.gantry.api.CacheExport;
import dev.gantry.api.CacheLocation;
import dev.gantry.api.Gantry;
import dev.gantry.model.BuildException;
import dev.gantry.model.Output;
import dev.gantry.model.StepResult;
import dev.gantry.oci.Blob;
import dev.gantry.oci.Blobs;
import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.oci.Image;
import dev.gantry.oci.Manifest;
import dev.gantry.oci.MediaType;
import dev.gantry.oci.OciLayoutReader;
import dev.gantry.oci.OciLayoutWriter;
import dev.gantry.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Directory caches and what goes wrong with caches: a round trip through {@code type=local}, two
 * sources of which one is another Dockerfile's, a registry that is down during the export,
 * documents that are malformed or name blobs of the wrong size, and a layer whose bytes do not
 * match its digest when a step finally needs them. No RUN, so no container runtime is needed.
 */
class CacheImportFaultsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DOCKERFILE = """
      FROM scratch AS deps
      COPY dep.txt /dep.txt
      FROM scratch
      COPY --from=deps /dep.txt /copied.txt
      COPY app.txt /app.txt
      ENV MODE=x
      """;

  @TempDir Path tmp;

  private Path context(String name, String dockerfile) throws Exception {
    Path ctx = Files.createDirectories(tmp.resolve(name));
    Files.writeString(ctx.resolve("dep.txt"), "dependency\n");
    Files.writeString(ctx.resolve("app.txt"), "app v1\n");
    Files.writeString(ctx.resolve("other.txt"), "another project\n");
    Files.writeString(ctx.resolve("Dockerfile"), dockerfile);
    return ctx;
  }

  private static List<Boolean> cached(BuildResult r) {
    return r.steps().stream().map(StepResult::cached).toList();
  }

  private BuildResult build(Path ctx, String store, Fixtures.Messages messages, UnaryOperator<BuildRequest.Builder> opts)
      throws Exception {
    return new Gantry().build(opts.apply(BuildRequest.builder(ctx).storeDirectory(tmp.resolve(store))
        .listener(messages)).build());
  }

  @Test
  void aDirectoryCacheRoundTripsBesideAnotherProjectsCacheAndItsLayersAreFetchedForAnOutput() throws Exception {
    Path ctx = context("ctx", DOCKERFILE);
    Path other = context("other", "FROM scratch\nCOPY other.txt /other.txt\n");
    Path dir = tmp.resolve("cache-dir");
    Path otherDir = tmp.resolve("other-cache");
    BuildResult a = build(ctx, "store-a", new Fixtures.Messages(),
        b -> b.cacheTo(CacheExport.parse("type=local,dest=" + dir + ",mode=max")));
    build(other, "store-o", new Fixtures.Messages(), b -> b.cacheTo(CacheExport.parse("type=local,dest=" + otherDir)));

    Path out = tmp.resolve("out");
    BuildResult b = build(ctx, "store-b", new Fixtures.Messages(), r -> r
        .cacheFrom(CacheLocation.parse("type=local,src=" + otherDir))
        .cacheFrom(CacheLocation.parse("type=local,src=" + dir)).output(new Output.OciLayout(out)));

    assertThat(cached(b)).hasSize(4).containsOnly(true);
    assertThat(b.manifestDigest()).isEqualTo(a.manifestDigest());
    OciLayoutReader layout = OciLayoutReader.open(out);
    Manifest m = layout.readManifest(layout.resolve(null));
    assertThat(m.layers()).hasSize(2);
    for (Descriptor layer : m.layers()) {
      assertThat(layout.readBlob(layer)).hasSize((int) layer.size());
    }
  }

  @Test
  void aDirectoryCacheExportedAgainDropsTheBlobsItNoLongerNamesAndStillRoundTrips() throws Exception {
    Path ctx = context("ctx", DOCKERFILE);
    Path dir = tmp.resolve("cache-dir");
    build(ctx, "store-a", new Fixtures.Messages(), b -> b.cacheTo(CacheExport.parse("type=local,dest=" + dir + ",mode=max")));
    List<Path> first = blobs(dir);
    for (Path p : first) { // exported long enough ago
      Files.setLastModifiedTime(p, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
    }
    Files.writeString(ctx.resolve("app.txt"), "app v2\n");
    Fixtures.Messages messages = new Fixtures.Messages();
    BuildResult a = build(ctx, "store-a", messages, b -> b.cacheTo(CacheExport.parse("type=local,dest=" + dir + ",mode=max")));

    List<Path> second = blobs(dir);
    // the old app layer, its index, its preimage, the old document and manifest are gone; the rest was reused
    assertThat(first).as("some blobs of the first export").anyMatch(p -> !second.contains(p));
    assertThat(first).as("and not all").anyMatch(second::contains);
    assertThat(messages.lines).anyMatch(l -> l.startsWith("cache exported to ") && l.contains("unused blobs removed"));
    BuildResult b = build(ctx, "store-b", new Fixtures.Messages(), r -> r.cacheFrom(CacheLocation.parse("type=local,src=" + dir))
        .output(new Output.OciLayout(tmp.resolve("out"))));
    assertThat(cached(b)).hasSize(4).containsOnly(true);
    assertThat(b.manifestDigest()).isEqualTo(a.manifestDigest());
  }

  private static List<Path> blobs(Path layout) throws Exception {
    try (Stream<Path> files = Files.list(layout.resolve("blobs/sha256"))) {
      return files.sorted().toList();
    }
  }

  @Test
  void aRegistryThatIsDownDuringTheExportLeavesASuccessfulBuildAndAWarning() throws Exception {
    Path ctx = context("ctx", DOCKERFILE);
    String nobody = "127.0.0.1:" + TestRegistry.freePort();
    Fixtures.Messages messages = new Fixtures.Messages();
    BuildResult r = build(ctx, "store", messages, b -> b.cacheTo(CacheExport.parse("type=registry,ref=" + nobody
        + "/cache:1,mode=max")));
    assertThat(r.steps()).hasSize(4);
    assertThat(messages.lines).anyMatch(l -> l.startsWith("warning: cache export to " + nobody + "/cache:1 failed: ")
        && l.endsWith("(the build itself succeeded)"));
  }

  @Test
  void aMalformedDocumentOrOneNamingABlobOfTheWrongSizeIsRefusedAndTheBuildRunsWithoutIt() throws Exception {
    Path ctx = context("ctx", DOCKERFILE);
    Path dir = tmp.resolve("cache-dir");
    build(ctx, "store-a", new Fixtures.Messages(), b -> b.cacheTo(CacheExport.parse("type=local,dest=" + dir
        + ",mode=max")));
    OciLayoutReader good = OciLayoutReader.open(dir);
    Manifest manifest = good.readManifest(good.resolve("cache"));
    ObjectNode doc = (ObjectNode) JSON.readTree(good.readBlob(manifest.config()));
    ObjectNode layer = (ObjectNode) doc.path("records").findParent("diffId");
    String named = layer.path("digest").asText();
    long size = layer.path("size").asLong();
    layer.put("size", size + 1);

    Path wrongSize = rewrite(good, manifest, JSON.writeValueAsBytes(doc), -1, "wrong-size");
    Path notJson = rewrite(good, manifest, "{\"version\":1,\"records\":[".getBytes(StandardCharsets.UTF_8), -1, "not-json");
    Path tooLarge = rewrite(good, manifest, good.readBlob(manifest.config()), 17L << 20, "too-large");
    Fixtures.Messages messages = new Fixtures.Messages();
    BuildResult b = build(ctx, "store-b", messages, r -> r.cacheFrom(new CacheLocation.Directory(wrongSize))
        .cacheFrom(new CacheLocation.Directory(notJson)).cacheFrom(new CacheLocation.Directory(tooLarge)));

    assertThat(cached(b)).containsOnly(false);
    assertThat(messages.lines).contains("warning: cache " + notJson + " not used: the cache document is not a JSON object",
        "warning: cache " + tooLarge + " not used: its cache document of 17825792 bytes exceeds the limit of 16777216")
        .anyMatch(l -> l.startsWith("warning: cache " + wrongSize) && l.endsWith("names blob " + named + " of "
            + (size + 1) + " bytes, which the cache manifest lists with " + size + " bytes"));
  }

  /**
   * A copy of the cache artifact of {@code layout} with {@code document} as its cache document,
   * described in the manifest with {@code claimedSize} bytes when not -1.
   */
  private Path rewrite(OciLayoutReader layout, Manifest manifest, byte[] document, long claimedSize, String name)
      throws Exception {
    Blob config = Blobs.of(manifest.config().mediaType(), document);
    List<Blob> layers = new ArrayList<>();
    for (Descriptor d : manifest.layers()) {
      layers.add(Blobs.of(d.mediaType(), layout.readBlob(d)));
    }
    Descriptor described = claimedSize < 0 ? config.descriptor()
        : Descriptor.of(config.descriptor().mediaType(), config.descriptor().digest(), claimedSize);
    byte[] bytes = Manifest.oci(described, manifest.layers()).toJson();
    Path dir = tmp.resolve(name);
    OciLayoutWriter.at(dir).write(new Image(Blobs.of(MediaType.OCI_MANIFEST, bytes), config, layers), List.of("cache"));
    return dir;
  }

  @Test
  void aLayerWhoseBytesDoNotMatchFailsTheStepThatNeedsItAndIsNotStored() throws Exception {
    Fixtures.assumeTools();
    Path ctx = context("ctx", "FROM scratch AS deps\nCOPY dep.txt /dep.txt\nFROM scratch\nCOPY app.txt /app.txt\n"
        + "COPY --from=deps /dep.txt /copied.txt\n");
    Path out = tmp.resolve("out");
    try (TestRegistry registry = TestRegistry.start(tmp.resolve("registry"), TestRegistry.Mode.ANONYMOUS);
        FaultProxy proxy = FaultProxy.start(registry.host())) {
      String cache = proxy.host() + "/cache:1";
      build(ctx, "store-a", new Fixtures.Messages(), b -> b.target("deps").output(new Output.OciLayout(out)));
      build(ctx, "store-a", new Fixtures.Messages(), b -> b.cacheTo(CacheExport.parse("type=registry,ref=" + cache
          + ",mode=max")));
      OciLayoutReader layout = OciLayoutReader.open(out);
      Digest deps = layout.readManifest(layout.resolve(null)).layers().get(0).digest();
      Files.writeString(ctx.resolve("app.txt"), "app v2\n");
      proxy.add(FaultProxy.Rule.of("GET", "/blobs/" + deps, FaultProxy.Fault.CORRUPT));

      // COPY app.txt misses, so COPY --from misses too and needs the bytes of the cached stage deps
      assertThatThrownBy(() -> build(ctx, "store-b", new Fixtures.Messages(), b -> b.cacheFrom(
          new CacheLocation.Registry(cache))))
          .isInstanceOf(BuildException.class)
          .hasMessageStartingWith("Dockerfile:5:1: COPY --from=deps /dep.txt /copied.txt: ")
          .hasMessageContaining("blob " + deps + " has the wrong content");
      assertThat(proxy.pending()).isEmpty();
      assertThat(Store.open(tmp.resolve("store-b")).hasBlob(deps)).isFalse();
    }
  }
}
