package dev.gantry.layer;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * The extended attributes of a path, in every namespace, read without following a final symlink
 * and without opening the file ({@code llistxattr}, {@code lgetxattr}): one system call for a path
 * that has none, and safe for FIFOs and devices.
 */
public final class Xattrs {
  private static final int ERANGE = 34;
  private static final int ENOTSUP = 95;
  private static final int ENODATA = 61;
  private static final Charset PATHS = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));

  private Xattrs() {}

  /**
   * Whether the native calls this class and extraction use are bound here. The first call binds
   * them (JNA unpacks and loads its library): a build starts it on a thread of its own, so that the
   * work overlaps with parsing and planning.
   */
  public static boolean available() {
    return Posix.UNAVAILABLE == null;
  }

  /** Every xattr of {@code p} by full name ({@code user.x}, {@code security.capability}), in name order. */
  public static Map<String, byte[]> read(Path p) throws IOException {
    if (Posix.UNAVAILABLE != null) {
      throw new IOException("cannot read extended attributes: " + Posix.UNAVAILABLE);
    }
    byte[] path = (p.toString() + "\0").getBytes(PATHS);
    Map<String, byte[]> out = new TreeMap<>();
    byte[] list = names(path, p);
    int start = 0;
    for (int i = 0; i < list.length; i++) {
      if (list[i] == 0) {
        if (i > start) {
          byte[] name = Arrays.copyOfRange(list, start, i + 1);
          byte[] value = value(path, name, p);
          if (value != null) {
            out.put(new String(name, 0, name.length - 1, StandardCharsets.UTF_8), value);
          }
        }
        start = i + 1;
      }
    }
    return out;
  }

  private static byte[] names(byte[] path, Path p) throws IOException {
    byte[] buf = new byte[1024];
    while (true) {
      try {
        long n = Posix.llistxattr(path, buf, buf.length);
        return Arrays.copyOf(buf, (int) n);
      } catch (LastErrorException e) {
        if (e.getErrorCode() == ENOTSUP) {
          return new byte[0];
        }
        if (e.getErrorCode() != ERANGE || buf.length >= 1 << 20) {
          throw new IOException(p + ": cannot list extended attributes (errno " + e.getErrorCode() + ")");
        }
        buf = new byte[buf.length * 8];
      }
    }
  }

  /** The value of {@code name} (NUL-terminated), or null when it went away meanwhile. */
  private static byte[] value(byte[] path, byte[] name, Path p) throws IOException {
    byte[] buf = new byte[256];
    while (true) {
      try {
        long n = Posix.lgetxattr(path, name, buf, buf.length);
        return Arrays.copyOf(buf, (int) n);
      } catch (LastErrorException e) {
        if (e.getErrorCode() == ENODATA) {
          return null;
        }
        if (e.getErrorCode() != ERANGE || buf.length >= 1 << 20) {
          throw new IOException(p + ": cannot read extended attribute (errno " + e.getErrorCode() + ")");
        }
        buf = new byte[buf.length * 16];
      }
    }
  }
}
