package dev.gantry.exec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What RUN keeps in a build's work directory on the host side, and how all of it goes away, also
 * after the build was killed. {@code WORK/mem} is a memory filesystem ({@code ramfs}: never written
 * to disk, never swapped) for what must not reach the disk: secret files, the runtime's bundles
 * (their environment holds secrets given as variables) and its container state. {@link #remove}
 * kills the containers whose state is there, detaches every mount below the work directory (overlay
 * roots, the memory filesystem), deepest first, and only then deletes the tree.
 */
public final class RunWorkspace {
  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

  private RunWorkspace() {}

  /** Mounts the memory filesystem at {@code WORK/mem} (mode 0700) and returns it. */
  public static Path mountMemory(Path work) throws IOException {
    Path mem = Files.createDirectories(memory(work));
    try {
      MountCalls.mount("ramfs", "gantry-mem", mem, "mode=0700");
    } catch (IOException e) {
      throw new IOException("cannot mount a memory filesystem for RUN secrets and runtime state at " + mem
          + ": " + e.getMessage(), e);
    }
    return mem;
  }

  /** The directory of the runtime's bundles and state in {@code work} (see {@link Runc#create}). */
  public static Path runtimeDirectory(Path work) {
    return memory(work).resolve("runc");
  }

  private static Path memory(Path work) {
    return work.resolve("mem");
  }

  /**
   * Removes work directory {@code work}: kills and deletes the containers of its runtime directory,
   * detaches every mount at or below it, then deletes the tree; throws when a mount stays. Runs
   * to the end even when the calling thread is interrupted (a cancelled build cleans up too).
   */
  public static void remove(Path work) throws IOException {
    if (!Files.isDirectory(work, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    boolean interrupted = Thread.interrupted();
    try {
      Runc.killAll(Runc.stateRoot(runtimeDirectory(work)));
      Runc.killAll(work.resolve("runc")); // where earlier versions kept runc's state
      for (Path m : mountsUnder(work)) {
        try {
          MountCalls.detach(m);
        } catch (IOException e) {
          // gone meanwhile, or refused: checked below
        }
      }
      List<Path> left = mountsUnder(work);
      if (!left.isEmpty()) {
        throw new IOException("cannot remove " + work + ": still mounted: " + left);
      }
      Trees.delete(work);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The mount points at or below {@code dir} in this process's mount table, deepest first. */
  public static List<Path> mountsUnder(Path dir) throws IOException {
    if (!Files.isReadable(MOUNTINFO)) {
      return List.of();
    }
    Path base = dir.toAbsolutePath().normalize();
    List<Path> out = new ArrayList<>();
    for (String line : Files.readAllLines(MOUNTINFO, StandardCharsets.UTF_8)) {
      String[] f = line.split(" ");
      if (f.length > 4) {
        Path point = Path.of(unescape(f[4]));
        if (point.startsWith(base)) {
          out.add(point);
        }
      }
    }
    out.sort(Comparator.comparingInt(Path::getNameCount).reversed());
    return out;
  }

  /** A mountinfo field with its octal escapes ({@code \040} for a space) decoded. */
  static String unescape(String field) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] in = field.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < in.length; i++) {
      if (in[i] == '\\' && i + 3 < in.length && isOctal(in[i + 1]) && isOctal(in[i + 2]) && isOctal(in[i + 3])) {
        b.write((in[i + 1] - '0') * 64 + (in[i + 2] - '0') * 8 + (in[i + 3] - '0'));
        i += 3;
      } else {
        b.write(in[i]);
      }
    }
    return b.toString(StandardCharsets.UTF_8);
  }

  private static boolean isOctal(byte c) {
    return c >= '0' && c <= '7';
  }
}
