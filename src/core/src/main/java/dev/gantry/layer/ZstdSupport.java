package dev.gantry.layer;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * zstd streams through zstd-jni, whose native library exists for the platforms a Java 17
 * distribution ships for. Elsewhere opening a stream fails with an {@link IOException} that names the
 * platform and the way around it, not with a linkage error.
 */
final class ZstdSupport {
  private ZstdSupport() {}

  /** A zstd compressor (level 3, one thread, no checksum) writing to {@code out}. */
  static OutputStream compress(OutputStream out) throws IOException {
    try {
      ZstdOutputStream z = new ZstdOutputStream(out, 3);
      z.setChecksum(false);
      z.setWorkers(0);
      return z;
    } catch (LinkageError e) {
      throw unavailable(e);
    }
  }

  /** The zstd-decompressed bytes of {@code in}. */
  static InputStream decompress(InputStream in) throws IOException {
    try {
      return new ZstdCompressorInputStream(in);
    } catch (LinkageError e) {
      throw unavailable(e);
    }
  }

  private static IOException unavailable(LinkageError e) {
    return new IOException("zstd is not available on " + System.getProperty("os.name") + "/"
        + System.getProperty("os.arch") + " (no native zstd library for it); hint: build with --compression gzip,"
        + " and use bases whose layers are gzip", e);
  }
}
