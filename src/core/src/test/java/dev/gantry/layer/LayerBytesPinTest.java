package dev.gantry.layer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.Goldens;
import dev.gantry.TestPaths;
import dev.gantry.oci.Compression;
import dev.gantry.oci.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Exact digests of layer bytes: the tar a fixed set of entries makes, and the gzip stream of fixed
 * inputs. Layer digests are what images, pushes and a store's results are made of; identical inputs
 * must give identical bytes on every release and machine.
 *
 * <p>A failure here means the bytes changed. If that is deliberate (a new tar header rule, another
 * block size or compression choice), it is a cache-version bump: bump {@code CacheKey.VERSION} so
 * stores do not mix old and new layers, say so in the change, then rewrite
 * {@code testdata/pins/layer-bytes.txt} with {@code -Dgantry.updateGoldens=true} and review the
 * diff. A different zlib under the JDK may change the gzip digests (not the tar ones) on its own.
 */
class LayerBytesPinTest {
  private static final String HEADER = """
      sha256 of layer bytes (LayerBytesPinTest). A change is a deliberate cache-version bump:
      bump CacheKey.VERSION, then rewrite with -Dgantry.updateGoldens=true and review the diff.""";
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
  void layerBytesHaveTheGoldenDigests() throws IOException {
    Map<String, String> digests = new LinkedHashMap<>();
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    WrittenLayer plain = write(Compression.NONE, tar);
    assertThat(plain.diffId()).isEqualTo(plain.digest()).isEqualTo(Digest.sha256(tar.toByteArray()));
    digests.put("tar", plain.digest().toString());
    for (Compression c : List.of(Compression.GZIP, Compression.ZSTD)) {
      WrittenLayer layer = write(c, new ByteArrayOutputStream());
      assertThat(layer.diffId()).isEqualTo(plain.diffId());
      digests.put("tar " + c.name().toLowerCase(Locale.ROOT), layer.digest().toString());
    }
    int block = ParallelGzipOutputStream.BLOCK;
    digests.put("gzip empty", gzipDigest(new byte[0]));
    digests.put("gzip short text", gzipDigest(text(10_000)));
    digests.put("gzip text, deflated", gzipDigest(text(3 * block + 777)));
    digests.put("gzip random, stored", gzipDigest(random(2 * block + 5)));
    digests.put("gzip hex text, Huffman only", gzipDigest(hex(2 * block + 10)));
    digests.put("gzip mixed blocks", gzipDigest(concat(text(block + 100), random(block), hex(block), text(4096))));
    Goldens.assertValues(TestPaths.testdata("pins").resolve("layer-bytes.txt"), HEADER, digests);
  }
}
