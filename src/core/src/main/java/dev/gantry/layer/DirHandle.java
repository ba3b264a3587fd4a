package dev.gantry.layer;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * An open directory: every operation names an entry directly inside it (one component, a byte
 * string) and never follows a symlink in that entry, so nothing reached through a handle can lie
 * outside the directory it was opened from. Metadata is set without opening the entry (a FIFO or
 * device is never opened). Paths of any depth work, as no call sees more than one component.
 */
final class DirHandle implements AutoCloseable {
  /** No entry of that name: the result of {@link #type}. */
  static final int ABSENT = 0;
  private static final int EINVAL = 22;
  private static final long UTIME_OMIT = (1L << 30) - 2;
  private static final int DIR_FLAGS = Posix.O_RDONLY | Posix.O_DIRECTORY | Posix.O_NOFOLLOW | Posix.O_CLOEXEC;
  private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[1 << 16]);

  private final int fd;
  private boolean closed;

  private DirHandle(int fd) {
    this.fd = fd;
  }

  /** Metadata of an entry: owners and {@code user.} xattrs are set only when {@code owners}. */
  record Meta(int mode, int uid, int gid, Instant mtime, Map<String, String> xattrs, boolean owners) {}

  /** Opens the host directory {@code dir} (symlinks in it are followed: it is the caller's own path). */
  static DirHandle open(Path dir) throws IOException {
    if (Posix.UNAVAILABLE != null) {
      throw new IOException(Posix.UNAVAILABLE);
    }
    String s = ByteNameTarInput.bytesOf(dir.toAbsolutePath().toString());
    return new DirHandle(call("open " + dir, () -> Posix.openat(-100, Posix.c(s), DIR_FLAGS & ~Posix.O_NOFOLLOW, 0)));
  }

  /** The directory {@code name} inside this one; never a symlink. */
  DirHandle openDir(String name) throws IOException {
    return new DirHandle(call(name, () -> Posix.openat(fd, Posix.c(name), DIR_FLAGS, 0)));
  }

  /** The file type bits ({@link Posix#S_IFMT}) of {@code name}, not following a symlink, or {@link #ABSENT}. */
  int type(String name) throws IOException {
    byte[] buf = new byte[256];
    try {
      Posix.statx(fd, Posix.c(name), Posix.AT_SYMLINK_NOFOLLOW, 1, buf);
    } catch (LastErrorException e) {
      if (e.getErrorCode() == Posix.ENOENT) {
        return ABSENT;
      }
      throw error(name, e);
    }
    return ((buf[28] & 0xff) | (buf[29] & 0xff) << 8) & Posix.S_IFMT;
  }

  /** The target of symlink {@code name}, as a byte string. */
  String readLink(String name) throws IOException {
    byte[] buf = new byte[4097];
    long n = call(name, () -> (int) Posix.readlinkat(fd, Posix.c(name), buf, buf.length));
    if (n >= buf.length) {
      throw new IOException("symlink " + ByteNameTarInput.display(name) + " has a target longer than 4096 bytes");
    }
    return new String(buf, 0, (int) n, StandardCharsets.ISO_8859_1);
  }

  void mkdir(String name, int mode) throws IOException {
    call(name, () -> Posix.mkdirat(fd, Posix.c(name), mode));
  }

  void symlink(String name, String target) throws IOException {
    call(name, () -> Posix.symlinkat(Posix.c(target), fd, Posix.c(name)));
  }

  /** A hard link {@code name} to {@code existing} in {@code dir} (a symlink there is linked, not followed). */
  void link(String name, DirHandle dir, String existing) throws IOException {
    call(name, () -> Posix.linkat(dir.fd, Posix.c(existing), fd, Posix.c(name), 0));
  }

  /** Creates a FIFO or device node ({@code type} is {@link Posix#S_IFIFO}, {@code S_IFCHR} or {@code S_IFBLK}). */
  void mknod(String name, int type, int major, int minor) throws IOException {
    long dev = (minor & 0xffL) | ((major & 0xfffL) << 8) | ((minor & ~0xffL) << 12) | ((major & ~0xfffL) << 32);
    call(name, () -> Posix.mknodat(fd, Posix.c(name), type | 0600, dev));
  }

  /** Creates regular file {@code name} (it must not exist) with the bytes of {@code in}, then its metadata. */
  void createFile(String name, InputStream in, Meta meta) throws IOException {
    int file = call(name, () -> Posix.openat(fd, Posix.c(name),
        Posix.O_WRONLY | Posix.O_CREAT | Posix.O_EXCL | Posix.O_NOFOLLOW | Posix.O_CLOEXEC, 0600));
    try {
      byte[] buf = BUFFER.get();
      for (int n; (n = in.readNBytes(buf, 0, buf.length)) > 0; ) {
        writeFully(file, buf, n, name);
      }
      applyTo(file, name, meta);
    } finally {
      Posix.close(file);
    }
  }

  private static void writeFully(int file, byte[] buf, int n, String name) throws IOException {
    int done = 0;
    while (done < n) {
      byte[] part = buf;
      if (done > 0) {
        part = new byte[n - done];
        System.arraycopy(buf, done, part, 0, n - done);
      }
      byte[] p = part;
      int len = n - done;
      done += call(name, () -> (int) Posix.write(file, p, len));
    }
  }

  /** Sets the metadata of this directory itself. */
  void apply(Meta meta, String name) throws IOException {
    applyTo(fd, name, meta);
  }

  private static void applyTo(int file, String name, Meta m) throws IOException {
    if (m.owners()) {
      // owners first: changing the owner of a file clears its setuid and setgid bits
      chown(name, m, () -> Posix.fchown(file, m.uid(), m.gid()));
      for (Map.Entry<String, String> x : m.xattrs().entrySet()) {
        byte[] v = x.getValue().getBytes(StandardCharsets.UTF_8);
        call(name, () -> Posix.fsetxattr(file, x.getKey(), v, v.length, 0));
      }
    }
    call(name, () -> Posix.fchmod(file, m.mode()));
    call(name, () -> Posix.futimens(file, times(m.mtime())));
  }

  /**
   * Sets the metadata of {@code name} without opening it (for FIFOs, devices and symlinks; a
   * symlink keeps mode and time). The caller knows {@code name} is not a symlink unless {@code symlink}.
   */
  void applyAt(String name, Meta m, boolean symlink) throws IOException {
    byte[] c = Posix.c(name);
    if (m.owners()) {
      chown(name, m, () -> Posix.fchownat(fd, c, m.uid(), m.gid(), Posix.AT_SYMLINK_NOFOLLOW));
    }
    if (!symlink) {
      call(name, () -> Posix.fchmodat(fd, c, m.mode(), 0));
      call(name, () -> Posix.utimensat(fd, c, times(m.mtime()), Posix.AT_SYMLINK_NOFOLLOW));
    }
  }

  /** Sets the modification time of {@code name} without opening it or following a symlink. */
  void setMtime(String name, Instant t) throws IOException {
    byte[] c = Posix.c(name);
    call(name, () -> Posix.utimensat(fd, c, times(t), Posix.AT_SYMLINK_NOFOLLOW));
  }

  /** Sets extended attribute {@code name} (full name, such as {@code user.overlay.opaque}) of this directory. */
  void setXattr(String name, String value) throws IOException {
    byte[] v = value.getBytes(StandardCharsets.UTF_8);
    call(name, () -> Posix.fsetxattr(fd, name, v, v.length, 0));
  }

  private static long[] times(Instant t) {
    return new long[] {0, UTIME_OMIT, t.getEpochSecond(), t.getNano()};
  }

  /** The names in this directory (byte strings, without {@code .} and {@code ..}). */
  List<String> list() throws IOException {
    int own = call(".", () -> Posix.openat(fd, Posix.c("."), DIR_FLAGS, 0));
    Pointer dir;
    try {
      dir = Posix.fdopendir(own);
    } catch (LastErrorException e) {
      Posix.close(own);
      throw error(".", e);
    }
    List<String> out = new ArrayList<>();
    try {
      for (Pointer d; (d = Posix.readdir(dir)) != null; ) {
        String n = d.getString(19, "ISO-8859-1");
        if (!n.equals(".") && !n.equals("..")) {
          out.add(n);
        }
      }
    } finally {
      Posix.closedir(dir);
    }
    return out;
  }

  /** Removes {@code name} and, for a directory, everything under it, iteratively; absent is fine. */
  void deleteTree(String name) throws IOException {
    int t = type(name);
    if (t == ABSENT) {
      return;
    }
    if (t != Posix.S_IFDIR) {
      call(name, () -> Posix.unlinkat(fd, Posix.c(name), 0));
      return;
    }
    Deque<Iterator<String>> pending = new ArrayDeque<>();
    Deque<String> names = new ArrayDeque<>();
    DirHandle cur = openWritable(name);
    pending.push(cur.list().iterator());
    names.push(name);
    try {
      while (!pending.isEmpty()) {
        Iterator<String> it = pending.peek();
        if (it.hasNext()) {
          String c = it.next();
          if (cur.type(c) == Posix.S_IFDIR) {
            DirHandle child = cur.openWritable(c);
            cur.close();
            cur = child;
            pending.push(cur.list().iterator());
            names.push(c);
          } else {
            DirHandle d = cur;
            call(c, () -> Posix.unlinkat(d.fd, Posix.c(c), 0));
          }
          continue;
        }
        pending.pop();
        String done = names.pop();
        DirHandle parent = pending.isEmpty() ? null : cur.openDotDot();
        cur.close();
        cur = parent;
        int at = parent == null ? fd : parent.fd;
        call(done, () -> Posix.unlinkat(at, Posix.c(done), Posix.AT_REMOVEDIR));
      }
    } finally {
      if (cur != null) {
        cur.close();
      }
    }
  }

  private DirHandle openWritable(String name) throws IOException {
    DirHandle d = openDir(name);
    call(name, () -> Posix.fchmod(d.fd, 0700));
    return d;
  }

  private DirHandle openDotDot() throws IOException {
    return new DirHandle(call("..", () -> Posix.openat(fd, Posix.c(".."), DIR_FLAGS, 0)));
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      Posix.close(fd);
    }
  }

  /** A system call that may fail. */
  @FunctionalInterface
  interface Call {
    int run() throws LastErrorException;
  }

  static int call(String name, Call c) throws IOException {
    try {
      return c.run();
    } catch (LastErrorException e) {
      throw error(name, e);
    }
  }

  /** Runs a {@code chown} call; an id the user namespace does not map is an {@link UnmappedOwnerException}. */
  private static void chown(String name, Meta m, Call c) throws IOException {
    try {
      c.run();
    } catch (LastErrorException e) {
      if (e.getErrorCode() == EINVAL) {
        throw new UnmappedOwnerException(ByteNameTarInput.display(name), Integer.toUnsignedLong(m.uid()),
            Integer.toUnsignedLong(m.gid()));
      }
      throw error(name, e);
    }
  }

  private static IOException error(String name, LastErrorException e) {
    return new IOException(ByteNameTarInput.display(name) + ": " + Libc.message(e), e);
  }
}
