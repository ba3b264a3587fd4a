package dev.gantry.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.layer.LayerEntry;
import dev.gantry.layer.TarLayerWriter;
import dev.gantry.layer.WrittenLayer;
import dev.gantry.oci.Compression;
import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.oci.MediaType;
import dev.gantry.oracle.Tools;
import dev.gantry.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A layer whose tar can be written again from its entries is extracted from them, not from its
 * blob, and only when that tar is the layer's: otherwise the blob is unpacked and nothing of the
 * written tar is installed.
 */
class RootfsCacheTarsTest {
  private static final TarLayerWriter WRITER = TarLayerWriter.create().withSourceDateEpoch(Instant.ofEpochSecond(1000))
      .keepingTimes();
  @TempDir Path tmp;
  Path file;
  AtomicInteger opened = new AtomicInteger();

  @BeforeEach
  void setUp() throws IOException {
    Tools.require("root".equals(System.getProperty("user.name")), "unpacking with owners and devices needs root");
    file = Files.writeString(tmp.resolve("context-file"), "context bytes\n");
  }

  /** A layer as COPY writes one: a file from the context, a symlink, special modes, an empty directory, a hard link. */
  private List<LayerEntry> copyLayer() {
    return List.of(LayerEntry.file("app/conf", file, 14).withMode(0640).withOwner(1000, 50)
            .withMtime(Instant.ofEpochSecond(900)),
        LayerEntry.symlink("app/link", "conf"), LayerEntry.hardlink("app/hard", "app/conf"),
        LayerEntry.directory("app/shared").withMode(02775).withOwner(0, 50),
        LayerEntry.directory("app/tmp").withMode(01777), LayerEntry.directory("app/empty"),
        LayerEntry.file("app/bin", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8)).withMode(04755));
  }

  /** The layer written (gzip, as a build stores it) and its entries as the tar holds them. */
  private record Written(Descriptor blob, Digest diffId, byte[] bytes, List<LayerEntry> planned) {}

  private Written write(List<LayerEntry> entries) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    WrittenLayer w = WRITER.withCompression(Compression.GZIP).write(entries, out);
    byte[] bytes = out.toByteArray();
    return new Written(Descriptor.of(MediaType.OCI_LAYER_GZIP, w.digest(), bytes.length), w.diffId(), bytes,
        WRITER.planned(entries));
  }

  /** Tars written again from {@code planned} for {@code diffId}, counting how often they are asked for. */
  private RootfsCache.LayerTars tars(Digest diffId, List<LayerEntry> planned) {
    return d -> {
      if (!d.equals(diffId)) {
        return Optional.empty();
      }
      opened.incrementAndGet();
      return Optional.of(WRITER.open(planned));
    };
  }

  private Path dirFromBlob(Written w) throws IOException {
    Store s = Store.open(Files.createTempDirectory(tmp, "blob-store"));
    s.putBlob(w.bytes());
    return new RootfsCache(s).lowerDirs(List.of(w.blob()), List.of(w.diffId())).get(0);
  }

  @Test
  void aLayerWrittenFromEntriesIsExtractedFromThemAndItsBlobIsNeverRead() throws IOException {
    Written w = write(copyLayer());
    Store noBlob = Store.open(tmp.resolve("store"));
    RootfsCache cache = new RootfsCache(noBlob, tars(w.diffId(), w.planned()));
    Path dir = cache.lowerDirs(List.of(w.blob()), List.of(w.diffId())).get(0);
    assertThat(noBlob.hasBlob(w.blob().digest())).as("the store never had the blob").isFalse();
    assertThat(RunChainTest.tree(dir)).isEqualTo(RunChainTest.tree(dirFromBlob(w)))
        .hasEntrySatisfying("app/empty", v -> assertThat(v).startsWith("40755 0:0 "))
        .hasEntrySatisfying("app/shared", v -> assertThat(v).startsWith("42775 0:50 "))
        .hasEntrySatisfying("app/tmp", v -> assertThat(v).startsWith("41777 0:0 "))
        .hasEntrySatisfying("app/conf", v -> assertThat(v).startsWith("100640 1000:50 "))
        .hasEntrySatisfying("app/bin", v -> assertThat(v).startsWith("104755 0:0 "))
        .containsEntry("app/link", "120777 0:0 rdev 0 -> conf").containsKey("app/hard");
    assertThat(dir.resolve("app/conf")).hasContent("context bytes");
    // an existing directory is reused: the tar is not written again
    cache.lowerDirs(List.of(w.blob()), List.of(w.diffId()));
    assertThat(opened).hasValue(1);
    assertNoTemps(cache);
  }

  @Test
  void whiteoutsOfAWrittenLayerTakeOverlayFormAsFromTheBlob() throws IOException {
    Written w = write(List.of(LayerEntry.whiteout("etc/old"), LayerEntry.opaque("var/cache"),
        LayerEntry.file("var/cache/new", "n".getBytes(StandardCharsets.UTF_8)), LayerEntry.file("f", file, 14)));
    Path dir = new RootfsCache(Store.open(tmp.resolve("store")), tars(w.diffId(), w.planned()))
        .lowerDirs(List.of(w.blob()), List.of(w.diffId())).get(0);
    assertThat(RunChainTest.tree(dir)).isEqualTo(RunChainTest.tree(dirFromBlob(w)))
        .containsEntry("etc/old", "whiteout");
    assertThat(Files.getFileAttributeView(dir.resolve("var/cache"),
        java.nio.file.attribute.UserDefinedFileAttributeView.class).list()).contains(RootfsCache.OPAQUE_XATTR);
    assertThat(opened).hasValue(1);
  }

  @Test
  void aTarThatNoLongerMatchesTheDiffIdIsThrownAwayAndTheBlobUnpacked() throws IOException {
    Written w = write(copyLayer());
    Map<String, String> fromBlob = RunChainTest.tree(dirFromBlob(w));
    // the context file changes after the layer was written: same size, then another size, then gone
    for (String changed : List.of("CONTEXT BYTES\n", "longer context bytes\n", "")) {
      if (changed.isEmpty()) {
        Files.delete(file);
      } else {
        Files.writeString(file, changed);
      }
      Store store = Store.open(Files.createTempDirectory(tmp, "store"));
      store.putBlob(w.bytes());
      RootfsCache cache = new RootfsCache(store, tars(w.diffId(), w.planned()));
      Path dir = cache.lowerDirs(List.of(w.blob()), List.of(w.diffId())).get(0);
      assertThat(RunChainTest.tree(dir)).as(changed).isEqualTo(fromBlob);
      assertThat(dir.resolve("app/conf")).hasContent("context bytes");
      assertNoTemps(cache);
    }
    assertThat(opened).hasValue(3);
    assertThat(file).doesNotExist();
  }

  @Test
  void aTarThatDiffersOnlyAfterItsLastEntryIsNotInstalled() throws IOException {
    Written w = write(copyLayer());
    Store noBlob = Store.open(tmp.resolve("store"));
    // the tar with more bytes after its end-of-archive records than the extractor reads ahead: every entry
    // extracts, the digest differs
    RootfsCache cache = new RootfsCache(noBlob, d -> {
      opened.incrementAndGet();
      byte[] full = WRITER.open(w.planned()).readAllBytes();
      return Optional.of(new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(full),
          new java.io.ByteArrayInputStream(new byte[256 * 1024])));
    });
    // refused, so the blob is needed, and the store has none
    assertThatThrownBy(() -> cache.lowerDirs(List.of(w.blob()), List.of(w.diffId())))
        .isInstanceOf(NoSuchFileException.class);
    assertThat(opened).hasValue(1);
    try (Stream<Path> s = Files.list(cache.directory())) {
      assertThat(s.toList()).as("nothing installed, no temporary left").isEmpty();
    }
  }

  private static void assertNoTemps(RootfsCache cache) throws IOException {
    try (Stream<Path> s = Files.list(cache.directory())) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".tmp-"));
    }
  }
}
