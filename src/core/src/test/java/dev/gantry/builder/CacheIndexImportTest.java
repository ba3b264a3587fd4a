package dev.gantry.builder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.api.BuildRequest;
import dev.gantry.api.BuildResult;
import dev.gantry.api.CacheExport;
import dev.gantry.api.CacheLocation;
import dev.gantry.api.Gantry;
import dev.gantry.model.Output;
import dev.gantry.model.StepResult;
import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Manifest;
import dev.gantry.oci.OciLayoutReader;
import dev.gantry.oracle.Tools;
import dev.gantry.registry.TestRegistry;
import dev.gantry.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A missed COPY over layers of an imported cache, or of a base image pulled from a registry, needs
 * what those layers hold, not their bytes: the cache carries each layer's index, and the store that
 * imports it fetches the index only.
 */
class CacheIndexImportTest {
  @TempDir Path tmp;

  @Test
  void aChangedFileOverCachedLayersFetchesTheirIndexNotTheirBytes() throws Exception {
    Path ctx = Files.createDirectories(tmp.resolve("ctx"));
    byte[] big = new byte[4 << 20];
    new Random(7).nextBytes(big);
    Files.write(ctx.resolve("big.bin"), big);
    Files.writeString(ctx.resolve("app.txt"), "app v1\n");
    Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nCOPY big.bin /deps/\nCOPY app.txt /app.txt\n");
    Path cache = tmp.resolve("cache");
    new Gantry().build(BuildRequest.builder(ctx).storeDirectory(tmp.resolve("store-a"))
        .cacheTo(CacheExport.parse("type=local,dest=" + cache)).build());
    LayerIndexes.forgetAll();
    Files.writeString(ctx.resolve("app.txt"), "app v2\n");

    BuildResult b = new Gantry().build(BuildRequest.builder(ctx).storeDirectory(tmp.resolve("store-b"))
        .cacheFrom(new CacheLocation.Directory(cache)).build());

    assertThat(b.steps()).extracting(StepResult::cached).containsExactly(true, false);
    OciLayoutReader layout = OciLayoutReader.open(cache);
    Manifest artifact = layout.readManifest(layout.resolve("cache"));
    List<Descriptor> indexes = artifact.layers().stream()
        .filter(d -> d.mediaType().equals(CacheDocument.INDEX_TYPE)).toList();
    Descriptor copied = artifact.layers().get(0);
    assertThat(copied.size()).isGreaterThan(4 << 20);
    assertThat(indexes).hasSize(2);
    Store store = Store.open(tmp.resolve("store-b"));
    assertThat(store.hasBlob(copied.digest())).isFalse();
    assertThat(indexes).anyMatch(d -> store.hasBlob(d.digest()));
  }

  @Test
  void aChangedFileOverAPulledBaseFetchesTheBaseLayersIndexFromTheCacheNotTheLayer() throws Exception {
    Tools.require(TestRegistry.available(), "docker-registry is not installed");
    try (TestRegistry registry = TestRegistry.start(tmp.resolve("registry"), TestRegistry.Mode.ANONYMOUS)) {
      String host = registry.host();
      Path baseCtx = Files.createDirectories(tmp.resolve("base"));
      byte[] big = new byte[4 << 20];
      new Random(9).nextBytes(big);
      Files.write(baseCtx.resolve("big.bin"), big);
      Files.writeString(baseCtx.resolve("Dockerfile"), "FROM scratch\nCOPY big.bin /base/\n");
      Path layout = tmp.resolve("base-layout");
      new Gantry().build(BuildRequest.builder(baseCtx).storeDirectory(tmp.resolve("store-0")).tag(host + "/base:1")
          .push(true).output(new Output.OciLayout(layout)).build());
      OciLayoutReader base = OciLayoutReader.open(layout);
      Descriptor baseLayer = base.readManifest(base.resolve(null)).layers().get(0);

      Path ctx = Files.createDirectories(tmp.resolve("ctx"));
      Files.writeString(ctx.resolve("app.txt"), "app v1\n");
      Files.writeString(ctx.resolve("Dockerfile"), "FROM " + host + "/base:1\nCOPY app.txt /app.txt\n");
      new Gantry().build(BuildRequest.builder(ctx).storeDirectory(tmp.resolve("store-a"))
          .cacheTo(CacheExport.parse("type=registry,ref=" + host + "/cache:1")).build());
      LayerIndexes.forgetAll();
      Files.writeString(ctx.resolve("app.txt"), "app v2\n");

      BuildResult b = new Gantry().build(BuildRequest.builder(ctx).storeDirectory(tmp.resolve("store-b"))
          .cacheFrom(CacheLocation.parse(host + "/cache:1")).build());

      assertThat(b.steps()).extracting(StepResult::cached).containsExactly(false);
      assertThat(Store.open(tmp.resolve("store-b")).hasBlob(baseLayer.digest())).isFalse();
    }
  }
}
