package dev.gantry.layer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.oci.Compression;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.junit.jupiter.api.Test;

class ArchiveFormatTest {
  interface Wrap {
    OutputStream wrap(OutputStream o) throws IOException;
  }

  private static byte[] tar() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TarLayerWriter.create().withCompression(Compression.NONE)
        .write(List.of(LayerEntry.file("hello.txt", "hi".getBytes(StandardCharsets.UTF_8))), out);
    return out.toByteArray();
  }

  private static byte[] compress(byte[] data, Wrap w) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream o = w.wrap(out)) {
      o.write(data);
    }
    return out.toByteArray();
  }

  @Test
  void detectsByMagicAndOpensEveryCompression() throws IOException {
    byte[] tar = tar();
    assertThat(ArchiveFormat.detect(tar)).isEqualTo(ArchiveFormat.TAR);
    byte[][] forms = {
        compress(tar, o -> TarLayerWriter.compress(Compression.GZIP, o)),
        compress(tar, o -> TarLayerWriter.compress(Compression.ZSTD, o)),
        compress(tar, BZip2CompressorOutputStream::new),
        compress(tar, o -> new XZCompressorOutputStream(o)),
    };
    ArchiveFormat[] expected = {ArchiveFormat.GZIP, ArchiveFormat.ZSTD, ArchiveFormat.BZIP2,
        ArchiveFormat.XZ};
    for (int i = 0; i < forms.length; i++) {
      assertThat(ArchiveFormat.detect(new BufferedInputStream(new ByteArrayInputStream(forms[i]))))
          .isEqualTo(expected[i]);
      assertThat(Archives.open(new ByteArrayInputStream(forms[i])).readAllBytes()).isEqualTo(tar);
    }
  }

  @Test
  void oldTarWithoutUstarMagicIsRecognisedByChecksum() throws IOException {
    byte[] tar = tar();
    byte[] v7 = tar.clone();
    for (int i = 257; i < 265; i++) {
      v7[i] = 0;
    }
    long sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (v7[i] & 0xff);
    }
    byte[] field = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(field, 0, v7, 148, 8);
    assertThat(ArchiveFormat.detect(v7)).isEqualTo(ArchiveFormat.TAR);
    v7[0] ^= 1;
    assertThat(ArchiveFormat.detect(v7)).isEqualTo(ArchiveFormat.UNKNOWN);
    assertThat(ArchiveFormat.detect("plain text, not an archive".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(ArchiveFormat.UNKNOWN);
  }
}
