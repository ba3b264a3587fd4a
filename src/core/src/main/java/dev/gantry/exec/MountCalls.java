package dev.gantry.exec;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import dev.gantry.layer.Libc;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code mount(2)} and {@code umount2(2)} called directly (JNA), so that a RUN's overlay and the
 * memory filesystem cost a system call instead of a {@code mount}/{@code umount} process each.
 * Where the calls cannot be bound, the commands are run instead.
 */
final class MountCalls {
  private static final int EBUSY = 16;
  private static final int MNT_DETACH = 2;
  private static final int O_PATH = 010000000;
  private static final int O_CLOEXEC = 02000000;
  /** The most option bytes {@code mount(2)} takes (one page, its terminating NUL included). */
  static final int MAX_OPTIONS = 4095;
  private static final boolean BOUND;

  static {
    boolean bound = false;
    if (Platform.isLinux()) {
      try {
        Native.register(MountCalls.class, Libc.library());
        bound = true;
      } catch (LinkageError e) {
        // the commands serve
      }
    }
    BOUND = bound;
  }

  private MountCalls() {}

  private static native int mount(String source, String target, String fstype, long flags, String data)
      throws LastErrorException;

  private static native int umount2(String target, int flags) throws LastErrorException;

  private static native int open(String path, int flags) throws LastErrorException;

  private static native int close(int fd) throws LastErrorException;

  /** Mounts file system {@code type} from {@code source} at {@code target} with {@code options}. */
  static void mount(String type, String source, Path target, String options) throws IOException {
    if (!BOUND) {
      Commands.run(List.of("mount", "-t", type, "-o", options, source, target.toAbsolutePath().toString()));
      return;
    }
    try {
      mount(source, target.toAbsolutePath().toString(), type, 0, options);
    } catch (LastErrorException e) {
      throw new IOException("cannot mount " + type + " at " + target + ": " + Libc.message(e), e);
    }
  }

  /**
   * Runs {@code body} with {@code dir} open as {@code /proc/self/fd/N/} (the prefix it is given),
   * a name short and stable enough to spell many directories below it in mount options.
   */
  static <T> T withDirectory(Path dir, DirectoryBody<T> body) throws IOException {
    if (!BOUND) {
      return body.run(dir.toAbsolutePath() + "/");
    }
    int fd;
    try {
      fd = open(dir.toAbsolutePath().toString(), O_PATH | O_CLOEXEC);
    } catch (LastErrorException e) {
      throw new IOException("cannot open " + dir + ": " + Libc.message(e), e);
    }
    try {
      return body.run("/proc/self/fd/" + fd + "/");
    } finally {
      close(fd);
    }
  }

  /** What {@link #withDirectory} runs. */
  interface DirectoryBody<T> {
    T run(String prefix) throws IOException;
  }

  /**
   * Unmounts {@code target}; when it is busy and {@code lazyWhenBusy}, detaches it instead (it goes
   * when its last user does) and returns false. Returns true when it was unmounted at once.
   */
  static boolean unmount(Path target, boolean lazyWhenBusy) throws IOException {
    String t = target.toAbsolutePath().toString();
    if (!BOUND) {
      try {
        Commands.run(List.of("umount", t));
        return true;
      } catch (IOException busy) {
        if (!lazyWhenBusy) {
          throw busy;
        }
        Commands.run(List.of("umount", "-l", t));
        return false;
      }
    }
    try {
      umount2(t, 0);
      return true;
    } catch (LastErrorException e) {
      if (e.getErrorCode() != EBUSY || !lazyWhenBusy) {
        throw new IOException("cannot unmount " + target + ": " + Libc.message(e), e);
      }
    }
    detach(target);
    return false;
  }

  /** Detaches {@code target} at once ({@code MNT_DETACH}). */
  static void detach(Path target) throws IOException {
    String t = target.toAbsolutePath().toString();
    if (!BOUND) {
      Commands.run(List.of("umount", "-l", t));
      return;
    }
    try {
      umount2(t, MNT_DETACH);
    } catch (LastErrorException e) {
      throw new IOException("cannot detach " + target + ": " + Libc.message(e), e);
    }
  }
}
