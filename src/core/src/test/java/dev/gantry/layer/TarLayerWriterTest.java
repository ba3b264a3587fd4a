package dev.gantry.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.oci.Compression;
import dev.gantry.oci.Digest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarLayerWriterTest {
  private static final Instant EPOCH = Instant.parse("2020-01-01T00:00:00Z");
  private static final String LONG = "d/" + "n".repeat(150) + "/file-with-a-long-name.txt";

  @TempDir Path tmp;

  private List<LayerEntry> entries(Path src, Instant mtime) throws IOException {
    Path f = src.resolve("data.bin");
    Files.createDirectories(src);
    Files.write(f, "from disk".getBytes(StandardCharsets.UTF_8));
    return List.of(
        LayerEntry.file("usr/bin/tool", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8))
            .withMode(04755).withMtime(mtime),
        LayerEntry.file("app/data.bin", f, Files.size(f)).withMtime(mtime).withOwner(1000, 1000),
        LayerEntry.symlink("usr/bin/alias", "tool").withMtime(mtime),
        LayerEntry.directory("tmp").withMode(01777).withMtime(mtime),
        LayerEntry.hardlink("usr/bin/tool2", "usr/bin/tool").withMtime(mtime),
        LayerEntry.whiteout("etc/old.conf"),
        LayerEntry.opaque("var/cache"),
        LayerEntry.file(LONG, new byte[] {1, 2, 3}).withXattrs(Map.of("user.k", "v"))
            .withMtime(mtime),
        LayerEntry.file("big-ids", new byte[0]).withOwner(3_000_000L, 70_000_000L));
  }

  private static byte[] write(TarLayerWriter w, List<LayerEntry> es) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    w.write(es, out);
    return out.toByteArray();
  }

  @Test
  void sameEntriesInAnyOrderWithNewerTimesAndOtherFilePermissionsGiveIdenticalBytes()
      throws IOException {
    TarLayerWriter w = TarLayerWriter.create().withSourceDateEpoch(EPOCH);
    List<LayerEntry> a = entries(tmp.resolve("a"), EPOCH.plusSeconds(86_400));
    List<LayerEntry> b = new ArrayList<>(entries(tmp.resolve("b"), Instant.now()));
    Collections.reverse(b);
    Files.setPosixFilePermissions(tmp.resolve("b/data.bin"), PosixFilePermissions.fromString("rw-rw-rw-"));
    Files.setPosixFilePermissions(tmp.resolve("a/data.bin"), PosixFilePermissions.fromString("rw-------"));
    byte[] first = write(w, a);
    assertThat(write(w, b)).isEqualTo(first);
    assertThat(write(w, a)).as("gzip output is stable across runs").isEqualTo(first);
  }

  @Test
  void diffIdIsTheDigestOfTheDecompressedBlobAndDigestOfTheBlob() throws IOException {
    TarLayerWriter w = TarLayerWriter.create().withSourceDateEpoch(EPOCH);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    WrittenLayer layer = w.write(entries(tmp, EPOCH), out);
    byte[] blob = out.toByteArray();
    byte[] tar = new GZIPInputStream(new ByteArrayInputStream(blob)).readAllBytes();
    assertThat(layer.diffId()).isEqualTo(Digest.sha256(tar));
    assertThat(layer.uncompressedSize()).isEqualTo(tar.length);
    assertThat(layer.digest()).isEqualTo(Digest.sha256(blob));
    assertThat(layer.size()).isEqualTo(blob.length);
    assertThat(layer.descriptor().mediaType()).isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
    // deterministic gzip header: no name, mtime 0, OS 255
    assertThat(java.util.Arrays.copyOf(blob, 10)).containsExactly(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff);
  }

  /** A sink that hashes what it receives, as a store blob writer does. */
  private static final class Sink extends ByteArrayOutputStream implements dev.gantry.oci.DigestingSink {
    @Override
    public Digest digestSoFar() {
      return Digest.sha256(toByteArray());
    }

    @Override
    public long bytesSoFar() {
      return size();
    }
  }

  @Test
  void blobDigestComesFromADigestingSinkOnlyWhenItStartsEmpty() throws IOException {
    TarLayerWriter w = TarLayerWriter.create().withSourceDateEpoch(EPOCH);
    List<LayerEntry> es = entries(tmp, EPOCH);
    for (Compression c : Compression.values()) {
      Sink empty = new Sink();
      WrittenLayer a = w.withCompression(c).write(es, empty);
      assertThat(a.digest()).isEqualTo(Digest.sha256(empty.toByteArray()));
      assertThat(a.size()).isEqualTo(empty.size());
      Sink used = new Sink();
      used.write(new byte[] {1, 2, 3});
      WrittenLayer b = w.withCompression(c).write(es, used);
      byte[] all = used.toByteArray();
      assertThat(b.digest()).as("a sink that already holds bytes is not trusted for the layer's digest")
          .isEqualTo(Digest.sha256(java.util.Arrays.copyOfRange(all, 3, all.length)));
    }
  }

  @Test
  void largeLayersSpanManyGzipBlocksAndStillRoundTrip() throws IOException {
    byte[] noise = new byte[3 * ParallelGzipOutputStream.BLOCK + 12345];
    new java.util.Random(42).nextBytes(noise);
    byte[] text = "compressible line of text\n".repeat(200_000).getBytes(StandardCharsets.UTF_8);
    List<LayerEntry> es = List.of(LayerEntry.file("a/noise.bin", noise), LayerEntry.file("a/text.txt", text));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    WrittenLayer layer = TarLayerWriter.create().write(es, out);
    byte[] tar = new GZIPInputStream(new ByteArrayInputStream(out.toByteArray())).readAllBytes();
    assertThat(layer.diffId()).isEqualTo(Digest.sha256(tar));
    assertThat(layer.digest()).isEqualTo(Digest.sha256(out.toByteArray()));
    // noise is stored, text deflated: the blob is about the size of the noise
    assertThat(layer.size()).isBetween((long) noise.length, (long) noise.length + text.length / 10);
    ByteArrayOutputStream again = new ByteArrayOutputStream();
    TarLayerWriter.create().write(es, again);
    assertThat(again.toByteArray()).isEqualTo(out.toByteArray());
  }

  @Test
  void zstdAndNoCompressionShareTheDiffId() throws IOException {
    List<LayerEntry> es = entries(tmp, EPOCH);
    TarLayerWriter w = TarLayerWriter.create().withSourceDateEpoch(EPOCH);
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    WrittenLayer none = w.withCompression(Compression.NONE).write(es, plain);
    WrittenLayer zstd = w.withCompression(Compression.ZSTD).write(es, new ByteArrayOutputStream());
    WrittenLayer gz = w.write(es, new ByteArrayOutputStream());
    assertThat(none.digest()).isEqualTo(none.diffId());
    assertThat(zstd.diffId()).isEqualTo(none.diffId()).isEqualTo(gz.diffId());
    assertThat(ArchiveFormat.detect(plain.toByteArray())).isEqualTo(ArchiveFormat.TAR);
  }

  @Test
  void headersAreSortedWithParentsClampedAndAnonymous() throws IOException {
    TarLayerWriter w = TarLayerWriter.create().withSourceDateEpoch(EPOCH).withCompression(Compression.NONE);
    byte[] tar = write(w, entries(tmp, EPOCH.plusSeconds(5)));
    Map<String, TarArchiveEntry> seen = new LinkedHashMap<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        seen.put(e.getName(), e);
        assertThat(e.getUserName()).isEmpty();
        assertThat(e.getGroupName()).isEmpty();
        assertThat(e.getModTime().toInstant()).isBeforeOrEqualTo(EPOCH);
      }
    }
    assertThat(seen.keySet()).containsExactly("app/", "app/data.bin", "big-ids", "d/",
        "d/" + "n".repeat(150) + "/", LONG, "etc/", "etc/.wh.old.conf", "tmp/", "usr/", "usr/bin/",
        "usr/bin/alias", "usr/bin/tool", "usr/bin/tool2", "var/", "var/cache/",
        "var/cache/.wh..wh..opq");
    assertThat(seen.get("usr/").getMode()).isEqualTo(040755);
    assertThat(seen.get("usr/").getModTime().toInstant()).isEqualTo(EPOCH);
    assertThat(seen.get("usr/bin/tool").getMode() & 07777).isEqualTo(04755);
    assertThat(seen.get("tmp/").getMode() & 07777).isEqualTo(01777);
    assertThat(seen.get("usr/bin/tool2").isLink()).isTrue();
    assertThat(seen.get("usr/bin/tool2").getLinkName()).isEqualTo("usr/bin/tool");
    assertThat(seen.get("usr/bin/alias").getLinkName()).isEqualTo("tool");
    assertThat(seen.get(LONG).getExtraPaxHeaders()).containsEntry("SCHILY.xattr.user.k", "v");
    assertThat(seen.get("big-ids").getLongUserId()).isEqualTo(3_000_000L);
    assertThat(seen.get("big-ids").getLongGroupId()).isEqualTo(70_000_000L);
    assertThat(seen.get("app/data.bin").getLongUserId()).isEqualTo(1000);
    String raw = new String(tar, StandardCharsets.ISO_8859_1);
    assertThat(raw).doesNotContain(System.getProperty("user.name"));
  }

  @Test
  void keepingTimesWritesEntryTimesInWholeSecondsAndAddedParentsAtTheEpoch() throws IOException {
    Instant later = EPOCH.plusSeconds(86_400).plusMillis(750);
    TarLayerWriter w = TarLayerWriter.create().withSourceDateEpoch(EPOCH).withCompression(Compression.NONE)
        .keepingTimes();
    byte[] tar = write(w, List.of(LayerEntry.file("d/f", new byte[] {1}).withMtime(later)));
    Map<String, Instant> times = new LinkedHashMap<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        times.put(e.getName(), e.getModTime().toInstant());
      }
    }
    assertThat(times).containsExactly(Map.entry("d/", EPOCH), Map.entry("d/f", EPOCH.plusSeconds(86_400)));
  }

  @Test
  void refusesDuplicatesNonDirectoryParentsAndDanglingHardlinks() {
    TarLayerWriter w = TarLayerWriter.create();
    assertThatThrownBy(() -> write(w, List.of(LayerEntry.file("a", new byte[0]),
        LayerEntry.file("/a", new byte[1])))).hasMessageContaining("two layer entries for a");
    assertThatThrownBy(() -> write(w, List.of(LayerEntry.symlink("a", "/etc"),
        LayerEntry.file("a/passwd", new byte[0])))).hasMessageContaining("not a directory");
    assertThatThrownBy(() -> write(w, List.of(LayerEntry.hardlink("x", "missing"))))
        .hasMessageContaining("names no file");
    assertThatThrownBy(() -> LayerEntry.file("../x", new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aHardLinkSortingBeforeItsFileHoldsTheFileAndTheOthersLinkToIt() throws IOException {
    List<LayerEntry> es = List.of(LayerEntry.file("m/b", "shared".getBytes(StandardCharsets.UTF_8)).withMode(0600),
        LayerEntry.hardlink("m/a", "m/b"), LayerEntry.hardlink("m/c", "m/a"));
    byte[] blob = write(TarLayerWriter.create().withCompression(Compression.NONE), es);
    Map<String, LayerEntry> read = new LinkedHashMap<>();
    ArchiveEntries.create().read(new ByteArrayInputStream(blob), "/").forEach(e -> read.put(e.path(), e));
    assertThat(read.get("m/a").type()).isEqualTo(EntryType.FILE);
    assertThat(read.get("m/a").mode()).isEqualTo(0600);
    assertThat(read.get("m/b").type()).isEqualTo(EntryType.HARDLINK);
    assertThat(read.get("m/b").linkTarget()).isEqualTo("m/a");
    assertThat(read.get("m/c").linkTarget()).isEqualTo("m/a");
    assertThatThrownBy(() -> write(TarLayerWriter.create(), List.of(LayerEntry.hardlink("x", "nothing"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("hardlink x -> nothing names no file of the layer");
  }

  @Test
  void namesThousandsOfCharactersLongKeepTheirPathLinkAndXattrs() throws IOException {
    String deep = "d/".repeat(2_000) + "f\u00e9";
    List<LayerEntry> es = List.of(LayerEntry.file(deep, new byte[] {7}).withXattrs(Map.of("user.k", "v")),
        LayerEntry.symlink("link", "/" + deep), LayerEntry.directory(deep + "-dir"));
    byte[] blob = write(TarLayerWriter.create().withCompression(Compression.NONE), es);
    Map<String, TarArchiveEntry> read = new LinkedHashMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(blob), "UTF-8")) {
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        read.put(e.getName(), e);
      }
    }
    assertThat(read.get(deep).isFile()).isTrue();
    assertThat(read.get(deep).getSize()).isEqualTo(1);
    assertThat(read.get(deep).getExtraPaxHeaders()).containsEntry("SCHILY.xattr.user.k", "v");
    assertThat(read.get("link").getLinkName()).isEqualTo("/" + deep);
    assertThat(read.get(deep + "-dir/").isDirectory()).isTrue();
  }
}
