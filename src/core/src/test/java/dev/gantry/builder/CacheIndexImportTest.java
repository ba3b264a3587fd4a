package dev.gantry.builder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.api.BuildRequest;
import dev.gantry.api.BuildResult;
import dev.gantry.api.CacheExport;
import dev.gantry.api.CacheLocation;
import dev.gantry.api.Gantry;
import dev.gantry.api.StepResult;
import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Manifest;
import dev.gantry.oci.OciLayoutReader;
import dev.gantry.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A missed COPY over layers of an imported cache needs what those layers hold, not their bytes: the
 * cache carries each layer's index, and the store that imports it fetches the index only.
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
}
