package dev.gantry.layer;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The Linux system calls extraction needs that the JDK does not offer: calls relative to an open
 * directory ({@code openat}, {@code mkdirat}, {@code fchownat}, {@code utimensat}...), so no path
 * is ever resolved from the host's root, and metadata calls that never open the file they change
 * (a FIFO or a device must not be opened). Names are NUL-terminated byte arrays, never decoded.
 * Bound by JNA direct mapping; x86-64 and aarch64 Linux only.
 */
final class Posix {
  static final int ENOENT = 2;

  static final int O_RDONLY = 0;
  static final int O_WRONLY = 1;
  static final int O_CREAT = 0100;
  static final int O_EXCL = 0200;
  static final int O_CLOEXEC = 02000000;
  static final int O_DIRECTORY;
  static final int O_NOFOLLOW;
  static final int AT_SYMLINK_NOFOLLOW = 0x100;
  static final int AT_REMOVEDIR = 0x200;

  static final int S_IFMT = 0170000;
  static final int S_IFDIR = 0040000;
  static final int S_IFLNK = 0120000;
  static final int S_IFCHR = 0020000;
  static final int S_IFBLK = 0060000;
  static final int S_IFIFO = 0010000;

  /** Why this host cannot extract safely, or null when it can. */
  static final String UNAVAILABLE;

  static {
    boolean aarch64 = "aarch64".equals(System.getProperty("os.arch"));
    O_DIRECTORY = aarch64 ? 040000 : 0200000;
    O_NOFOLLOW = aarch64 ? 0100000 : 0400000;
    String why = null;
    if (!Platform.isLinux() || !(aarch64 || Platform.isIntel() && Platform.is64Bit())) {
      why = "layer extraction needs Linux on x86-64 or aarch64";
    } else {
      try {
        Native.register(Posix.class, cLibrary());
      } catch (LinkageError e) {
        why = "cannot bind the C library: " + e.getMessage();
      }
    }
    UNAVAILABLE = why;
  }

  private Posix() {}

  /**
   * glibc by its file name, which {@code dlopen} finds at once (the bare name {@code c} makes JNA
   * run {@code ldconfig -p} to search for it); the bare name where that file is not there (musl).
   */
  private static NativeLibrary cLibrary() {
    try {
      return NativeLibrary.getInstance("libc.so.6");
    } catch (UnsatisfiedLinkError e) {
      return NativeLibrary.getInstance(Platform.C_LIBRARY_NAME);
    }
  }

  static native int openat(int dirfd, byte[] path, int flags, int mode) throws LastErrorException;

  static native int close(int fd) throws LastErrorException;

  static native int mkdirat(int dirfd, byte[] path, int mode) throws LastErrorException;

  static native int symlinkat(byte[] target, int dirfd, byte[] path) throws LastErrorException;

  static native int linkat(int olddirfd, byte[] oldpath, int newdirfd, byte[] newpath, int flags)
      throws LastErrorException;

  static native int mknodat(int dirfd, byte[] path, int mode, long dev) throws LastErrorException;

  static native int unlinkat(int dirfd, byte[] path, int flags) throws LastErrorException;

  static native long readlinkat(int dirfd, byte[] path, byte[] buf, long size) throws LastErrorException;

  static native int fchmodat(int dirfd, byte[] path, int mode, int flags) throws LastErrorException;

  static native int fchownat(int dirfd, byte[] path, int uid, int gid, int flags) throws LastErrorException;

  /** {@code times}: access seconds, nanoseconds, modification seconds, nanoseconds. */
  static native int utimensat(int dirfd, byte[] path, long[] times, int flags) throws LastErrorException;

  static native int fchmod(int fd, int mode) throws LastErrorException;

  static native int fchown(int fd, int uid, int gid) throws LastErrorException;

  static native int futimens(int fd, long[] times) throws LastErrorException;

  static native int fsetxattr(int fd, String name, byte[] value, long size, int flags) throws LastErrorException;

  static native long llistxattr(byte[] path, byte[] list, long size) throws LastErrorException;

  static native long lgetxattr(byte[] path, byte[] name, byte[] value, long size) throws LastErrorException;

  static native int statx(int dirfd, byte[] path, int flags, int mask, byte[] buf) throws LastErrorException;

  static native long write(int fd, byte[] buf, long count) throws LastErrorException;

  static native Pointer fdopendir(int fd) throws LastErrorException;

  static native Pointer readdir(Pointer dir) throws LastErrorException;

  static native int closedir(Pointer dir) throws LastErrorException;

  /** {@code s} as a NUL-terminated C string: each char is one byte (see {@link ByteNameTarInput}). */
  static byte[] c(String s) {
    byte[] b = new byte[s.length() + 1];
    for (int i = 0; i < s.length(); i++) {
      b[i] = (byte) s.charAt(i);
    }
    return b;
  }
}
