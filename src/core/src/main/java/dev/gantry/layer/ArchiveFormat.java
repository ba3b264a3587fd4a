package dev.gantry.layer;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The format of an archive or compressed stream, detected from its first bytes (never its name). */
public enum ArchiveFormat {
  /** An uncompressed tar stream. */
  TAR,
  /** gzip. */
  GZIP,
  /** bzip2. */
  BZIP2,
  /** xz. */
  XZ,
  /** zstd. */
  ZSTD,
  /** Anything else (not an archive Gantry unpacks). */
  UNKNOWN;

  /** How many leading bytes {@link #detect(byte[])} needs to see. */
  public static final int PROBE_SIZE = 512;

  /** Detects the format of a stream's leading bytes. */
  public static ArchiveFormat detect(byte[] head) {
    return detect(head, head.length);
  }

  /**
   * Detects the format of {@code in} without consuming it: {@code in} must support mark/reset (wrap
   * it in a {@link BufferedInputStream} first).
   */
  public static ArchiveFormat detect(InputStream in) throws IOException {
    if (!in.markSupported()) {
      throw new IllegalArgumentException("the stream must support mark/reset");
    }
    in.mark(PROBE_SIZE);
    byte[] head = new byte[PROBE_SIZE];
    int n = in.readNBytes(head, 0, PROBE_SIZE);
    in.reset();
    return detect(head, n);
  }

  private static ArchiveFormat detect(byte[] b, int n) {
    if (startsWith(b, n, 0x1f, 0x8b)) {
      return GZIP;
    }
    if (startsWith(b, n, 'B', 'Z', 'h')) {
      return BZIP2;
    }
    if (startsWith(b, n, 0xfd, '7', 'z', 'X', 'Z', 0x00)) {
      return XZ;
    }
    if (startsWith(b, n, 0x28, 0xb5, 0x2f, 0xfd)) {
      return ZSTD;
    }
    if (n >= 512 && isTarHeader(b)) {
      return TAR;
    }
    return UNKNOWN;
  }

  private static boolean startsWith(byte[] b, int n, int... magic) {
    if (n < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((b[i] & 0xff) != magic[i]) {
        return false;
      }
    }
    return true;
  }

  /** ustar magic at offset 257, or a header whose checksum field matches its bytes. */
  private static boolean isTarHeader(byte[] b) {
    String magic = new String(b, 257, 5, StandardCharsets.US_ASCII);
    if (magic.equals("ustar")) {
      return true;
    }
    long stored = 0;
    boolean digits = false;
    for (int i = 148; i < 156; i++) {
      int c = b[i] & 0xff;
      if (c >= '0' && c <= '7') {
        stored = stored * 8 + (c - '0');
        digits = true;
      } else if (c != ' ' && c != 0) {
        return false;
      } else if (digits) {
        break;
      }
    }
    if (!digits) {
      return false;
    }
    long unsigned = 0;
    for (int i = 0; i < 512; i++) {
      unsigned += (i >= 148 && i < 156) ? ' ' : (b[i] & 0xff);
    }
    return stored == unsigned;
  }
}
