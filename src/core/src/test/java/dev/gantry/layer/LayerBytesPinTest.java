package dev.gantry.layer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.oci.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Exact digests of layer bytes: the tar a fixed set of entries makes, and the gzip stream of fixed
 * inputs. Layer digests are what images, pushes and a store's results are made of; identical inputs
 * must give identical bytes on every release and machine.
 *
 * <p>A failure here means the bytes changed. If that is deliberate (a new tar header rule, another
 * block size or compression choice), it is a cache-version bump: bump {@code CacheKey.VERSION} so
 * stores do not mix old and new layers, say so in the change, then update these digests. A
 * different zlib under the JDK may change the gzip digests (not the tar ones) on its own.
 */
class LayerBytesPinTest {
  private static final Instant EPOCH = Instant.parse("2020-01-01T00:00:00Z");

  /** Every kind of entry the writer supports, with modes, owners, times after the epoch, xattrs, long names. */
  private static List<LayerEntry> entries() {
    Instant later = EPOCH.plusSeconds(86_400);
    return List.of(
        LayerEntry.file("usr/bin/tool", "#!/bin/sh\necho tool\n".getBytes(StandardCharsets.UTF_8))
            .withMode(04755).withMtime(later),
        LayerEntry.file("app/data.txt", "data\n".getBytes(StandardCharsets.UTF_8)).withOwner(1000, 1000),
        LayerEntry.symlink("usr/bin/alias", "tool").withMtime(later),
        LayerEntry.directory("tmp").withMode(01777),
        LayerEntry.hardlink("usr/bin/tool2", "usr/bin/tool"),
        LayerEntry.whiteout("etc/old.conf"),
        LayerEntry.opaque("var/cache"),
        LayerEntry.file("d/" + "n".repeat(150) + "/long-name.txt", new byte[] {1, 2, 3})
            .withXattrs(Map.of("user.k", "v")),
        LayerEntry.file("big-ids", new byte[0]).withOwner(3_000_000L, 70_000_000L),
        LayerEntry.device("dev/null", EntryType.CHAR_DEVICE, 1, 3).withMode(0666),
        LayerEntry.fifo("run/pipe"),
        LayerEntry.file("utf8/\u00e9t\u00e9.txt", "\u00e9\n".getBytes(StandardCharsets.UTF_8)));
  }

  private static WrittenLayer write(Compression c, ByteArrayOutputStream out) throws IOException {
    return TarLayerWriter.create().withSourceDateEpoch(EPOCH).withCompression(c).write(entries(), out);
  }

  @Test
  void tarOfAFixedSetOfEntriesHasThisDigest() throws IOException {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    WrittenLayer layer = write(Compression.NONE, tar);
    assertThat(Digest.sha256(tar.toByteArray()).toString())
        .isEqualTo("sha256:03ce3136fbb93a0ba3f70209f4a5838dc1e042be0eb2137af386a56ca4f2b958");
    assertThat(layer.diffId()).isEqualTo(layer.digest());
  }

  @Test
  void compressedLayersOfTheSameEntriesHaveTheseDigests() throws IOException {
    WrittenLayer gzip = write(Compression.GZIP, new ByteArrayOutputStream());
    WrittenLayer zstd = write(Compression.ZSTD, new ByteArrayOutputStream());
    assertThat(gzip.diffId()).isEqualTo(zstd.diffId());
    SoftAssertions.assertSoftly(soft -> {
      soft.assertThat(gzip.digest().toString()).as("gzip").isEqualTo(
          "sha256:fd6e51d7a1aa4ccdb67388df0776b10e9d45ded015ad10f9cc83597d5adec8a2");
      soft.assertThat(zstd.digest().toString()).as("zstd").isEqualTo(
          "sha256:de7915db2db4ccc04b0723ad89f001094b98060bcc35e9f3131a7f9dacbba011");
    });
  }

  private static String gzipDigest(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ParallelGzipOutputStream z = new ParallelGzipOutputStream(out, 6)) {
      for (int off = 0; off < data.length; off += 65_536) {
        z.write(data, off, Math.min(65_536, data.length - off));
      }
    }
    return Digest.sha256(out.toByteArray()).toString();
  }

  private static byte[] text(int size) {
    return ParallelGzipOutputStreamTest.text(size);
  }

  private static byte[] random(int size) {
    return ParallelGzipOutputStreamTest.random(size, 12);
  }

  private static byte[] hex(int size) {
    String h = HexFormat.of().formatHex(random(size / 2));
    return h.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void parallelGzipOfFixedInputsHasTheseDigests() throws IOException {
    int block = ParallelGzipOutputStream.BLOCK;
    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(gzipDigest(new byte[0])).as("empty").isEqualTo(
        "sha256:ac73670af3abed54ac6fb4695131f4099be9fbe39d6076c5d0264a6bbdae9d83");
    soft.assertThat(gzipDigest(text(10_000))).as("short text").isEqualTo(
        "sha256:50c4123bb24d500fee214bb493a1341540b54d372544f37c30e09d5a84090cef");
    soft.assertThat(gzipDigest(text(3 * block + 777))).as("text, deflated").isEqualTo(
        "sha256:89724667bf86335cf748924512cefc9b7f2ff754277c6bbd179b8c12c2f82e58");
    soft.assertThat(gzipDigest(random(2 * block + 5))).as("random, stored").isEqualTo(
        "sha256:f3549b5b5e077a4566b014c89d4c3bb73c777c02602234608de41729bc702e32");
    soft.assertThat(gzipDigest(hex(2 * block + 10))).as("hex text, Huffman only").isEqualTo(
        "sha256:7083c40d9923b30a1a1fa15fcefbd0ecc48e19d3e78964df4cf358ebbc9d494b");
    soft.assertThat(gzipDigest(concat(text(block + 100), random(block), hex(block), text(4096))))
        .as("mixed blocks").isEqualTo(
        "sha256:482cccb708f7c7db36e9e4d62caefddcee019d65f83270279cfca32f9a39ca1c");
    soft.assertAll();
  }
}
