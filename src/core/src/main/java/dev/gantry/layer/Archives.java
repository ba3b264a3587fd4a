package dev.gantry.layer;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/** Static helpers that open archives whatever their compression. */
public final class Archives {
  private Archives() {}

  /**
   * The decompressed bytes of {@code in}: gzip (concatenated members too), bzip2, xz and zstd are
   * detected by their magic bytes; anything else is returned as it is. Closing the result closes
   * {@code in}.
   */
  public static InputStream open(InputStream in) throws IOException {
    BufferedInputStream b = new BufferedInputStream(in, 64 * 1024);
    return switch (ArchiveFormat.detect(b)) {
      case GZIP -> new BufferedInputStream(GzipCompressorInputStream.builder()
          .setInputStream(b).setDecompressConcatenated(true).get(), 64 * 1024);
      case BZIP2 -> new BZip2CompressorInputStream(b, true);
      case XZ -> new XZCompressorInputStream(b, true);
      case ZSTD -> ZstdSupport.decompress(b);
      default -> b;
    };
  }

  /** Whether the decompressed stream of {@code in} (mark/reset supported) starts like a tar. */
  public static boolean isTar(InputStream decompressed) throws IOException {
    return ArchiveFormat.detect(decompressed) == ArchiveFormat.TAR;
  }
}
