package dev.gantry.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;
import org.junit.jupiter.api.Test;

class ParallelGzipOutputStreamTest {
  private static final int BLOCK = ParallelGzipOutputStream.BLOCK;

  private static byte[] gzip(byte[] data, int chunk) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ParallelGzipOutputStream z = new ParallelGzipOutputStream(out, 6)) {
      for (int off = 0; off < data.length; off += chunk) {
        z.write(data, off, Math.min(chunk, data.length - off));
      }
    }
    return out.toByteArray();
  }

  private static byte[] gunzip(byte[] gz) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }

  static byte[] text(int size) {
    StringBuilder sb = new StringBuilder();
    Random r = new Random(7);
    while (sb.length() < size) {
      sb.append("line ").append(r.nextInt(1000)).append(" of some compressible text\n");
    }
    return sb.substring(0, size).getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void roundTripsAtEverySizeAroundBlockBoundaries() throws IOException {
    for (int size : new int[] {0, 1, 100, BLOCK - 1, BLOCK, BLOCK + 1, 3 * BLOCK, 3 * BLOCK + 17}) {
      byte[] data = text(size);
      assertArrayEquals(data, gunzip(gzip(data, 8192)), "size " + size);
    }
  }

  @Test
  void mixedStoredAndDeflatedBlocksRoundTrip() throws IOException {
    byte[] data = new byte[4 * BLOCK + 5];
    System.arraycopy(random(BLOCK, 1), 0, data, 0, BLOCK);
    System.arraycopy(text(BLOCK), 0, data, BLOCK, BLOCK);
    System.arraycopy(random(2 * BLOCK + 5, 2), 0, data, 2 * BLOCK, 2 * BLOCK + 5);
    assertArrayEquals(data, gunzip(gzip(data, 65536)));
  }

  @Test
  void outputDependsOnlyOnTheBytesNotOnHowTheyAreWritten() throws IOException {
    byte[] data = new byte[5 * BLOCK / 2];
    System.arraycopy(text(BLOCK), 0, data, 0, BLOCK);
    System.arraycopy(random(3 * BLOCK / 2, 3), 0, data, BLOCK, 3 * BLOCK / 2);
    assertArrayEquals(gzip(data, 1), gzip(data, 333_333));
    assertArrayEquals(gzip(data, 4096), gzip(data, data.length));
  }

  @Test
  void shortStreamIsByteForByteAPlainGzip() throws IOException {
    byte[] data = text(BLOCK / 3);
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    GzipParameters p = new GzipParameters();
    p.setModificationTime(0);
    p.setOperatingSystem(255);
    p.setCompressionLevel(6);
    try (GzipCompressorOutputStream z = new GzipCompressorOutputStream(plain, p)) {
      z.write(data);
    }
    assertArrayEquals(plain.toByteArray(), gzip(data, 1000));
  }

  private static byte[] base64(int size, long seed) {
    byte[] encoded = java.util.Base64.getMimeEncoder().encode(random(size, seed));
    return java.util.Arrays.copyOf(encoded, size);
  }

  private static int level6(byte[] data) {
    java.util.zip.Deflater d = new java.util.zip.Deflater(6, true);
    d.setInput(data);
    d.finish();
    byte[] out = new byte[data.length + 1024];
    int n = 0;
    while (!d.finished()) {
      n += d.deflate(out, n, out.length - n);
    }
    d.end();
    return n;
  }

  /** A tar stream of base64 files of about 27 KB: each file's data padded to 512 and a header. */
  private static byte[] tarOfBase64Files(int size) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (org.apache.commons.compress.archivers.tar.TarArchiveOutputStream tar =
        new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(out)) {
      for (int i = 0; out.size() < size; i++) {
        byte[] file = base64(20_000 + i % 7 * 1000, i);
        org.apache.commons.compress.archivers.tar.TarArchiveEntry e =
            new org.apache.commons.compress.archivers.tar.TarArchiveEntry("lib/dep" + i + ".jar");
        e.setSize(file.length);
        tar.putArchiveEntry(e);
        tar.write(file);
        tar.closeArchiveEntry();
      }
    }
    return java.util.Arrays.copyOf(out.toByteArray(), size);
  }

  @Test
  void tarHeadersBetweenBase64FilesDoNotTurnHuffmanCodingOff() throws IOException {
    byte[] tar = tarOfBase64Files(4 * BLOCK);
    for (int b = 0; b < 4; b++) {
      byte[] block = java.util.Arrays.copyOfRange(tar, b * BLOCK, (b + 1) * BLOCK);
      assertEquals(ParallelGzipOutputStream.Method.HUFFMAN, ParallelGzipOutputStream.method(block, BLOCK), "block " + b);
    }
    byte[] packed = gzip(tar, 65536);
    // a few percent over level 6 (the tar padding Huffman coding pays for) at several times its speed
    assertTrue(packed.length <= level6(tar) * 104L / 100, packed.length + " vs level 6 " + level6(tar));
    assertArrayEquals(tar, gunzip(packed));
  }

  @Test
  void machineCodeIsDeflated() throws IOException {
    java.nio.file.Path jvm = java.nio.file.Path.of(System.getProperty("java.home"), "lib", "server", "libjvm.so");
    org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isRegularFile(jvm), "no libjvm.so here");
    byte[] code = java.nio.file.Files.readAllBytes(jvm);
    int deflated = 0;
    int blocks = 0;
    for (int off = 0; off + BLOCK <= code.length; off += BLOCK, blocks++) {
      byte[] block = java.util.Arrays.copyOfRange(code, off, off + BLOCK);
      if (ParallelGzipOutputStream.method(block, BLOCK) == ParallelGzipOutputStream.Method.DEFLATE) {
        deflated++;
      }
    }
    // string matching gains a tenth or more on machine code: Huffman coding alone would cost that
    assertTrue(deflated >= blocks * 9 / 10, deflated + " of " + blocks + " blocks deflated");
  }

  @Test
  void eachBlockGetsTheMethodItsSamplesCallFor() throws IOException {
    assertEquals(ParallelGzipOutputStream.Method.STORE, ParallelGzipOutputStream.method(random(BLOCK, 4), BLOCK));
    assertEquals(ParallelGzipOutputStream.Method.DEFLATE, ParallelGzipOutputStream.method(text(BLOCK), BLOCK));
    byte[] b64 = base64(BLOCK, 6);
    assertEquals(ParallelGzipOutputStream.Method.HUFFMAN, ParallelGzipOutputStream.method(b64, BLOCK));
    // Huffman coding alone stays within 1% of level 6 on such data
    byte[] data = base64(3 * BLOCK, 7);
    byte[] packed = gzip(data, 65536);
    assertTrue(packed.length <= level6(data) * 101L / 100, packed.length + " vs level 6 " + level6(data));
    assertArrayEquals(data, gunzip(packed));
    assertEquals(ParallelGzipOutputStream.Method.DEFLATE, ParallelGzipOutputStream.method(text(BLOCK / 32), BLOCK / 32),
        "blocks too short to sample are deflated");
    byte[] noise = random(3 * BLOCK, 5);
    byte[] gz = gzip(noise, 65536);
    // stored: five bytes of block header per 64 KiB, plus header, flush markers and trailer
    assertTrue(gz.length < noise.length + noise.length / 1000 + 64, "stored size " + gz.length);
    byte[] txt = text(3 * BLOCK);
    assertTrue(gzip(txt, 65536).length < txt.length / 3, "text deflated");
  }

  @Test
  void trailerCarriesCrcAndLength() throws IOException {
    byte[] data = text(BLOCK + 10);
    byte[] gz = gzip(data, 4096);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(data);
    int n = gz.length;
    long c = (gz[n - 8] & 0xffL) | (gz[n - 7] & 0xffL) << 8 | (gz[n - 6] & 0xffL) << 16 | (gz[n - 5] & 0xffL) << 24;
    long len = (gz[n - 4] & 0xffL) | (gz[n - 3] & 0xffL) << 8 | (gz[n - 2] & 0xffL) << 16 | (gz[n - 1] & 0xffL) << 24;
    assertEquals(crc.getValue(), c);
    assertEquals(data.length, len);
  }
}
