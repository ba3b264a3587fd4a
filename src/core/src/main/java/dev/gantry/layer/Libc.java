package dev.gantry.layer;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/** The C library, for classes that bind system calls through JNA direct mapping. */
public final class Libc {
  private Libc() {}

  /**
   * glibc by its file name, which {@code dlopen} finds at once; the bare name {@code c} where that
   * file is not there (musl). JNA lists the linker's directories by running {@code ldconfig -p} the
   * first time it loads a library unless {@code jna.platform.library.path} is set: it is set to the
   * usual directories here (when the user did not set it), as the library is found by name anyway.
   */
  public static NativeLibrary library() {
    if (System.getProperty("jna.platform.library.path") == null) {
      System.setProperty("jna.platform.library.path",
          "/lib64:/usr/lib64:/lib:/usr/lib:/lib/" + multiarch() + ":/usr/lib/" + multiarch());
    }
    try {
      return NativeLibrary.getInstance("libc.so.6");
    } catch (UnsatisfiedLinkError e) {
      return NativeLibrary.getInstance(Platform.C_LIBRARY_NAME);
    }
  }

  /** The text of a failed call's error ({@code strerror}), without the {@code [errno]} JNA puts in front. */
  public static String message(LastErrorException e) {
    String m = e.getMessage();
    return m == null ? "errno " + e.getErrorCode() : m.replaceFirst("^\\[\\d+\\]\\s*", "");
  }

  private static String multiarch() {
    return ("aarch64".equals(System.getProperty("os.arch")) ? "aarch64" : "x86_64") + "-linux-gnu";
  }
}
