package dev.gantry.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The user namespace a rootless build runs in. Its process is root inside a namespace that maps
 * the building user's id to 0 and, when {@code /etc/subuid} and {@code /etc/subgid} give the user
 * subordinate ids, those to 1, 2, ... ({@code unshare --map-root-user --map-auto}, which calls the
 * setuid helpers {@code newuidmap} and {@code newgidmap}); without them only id 0 exists inside.
 * The whole build runs there, so extraction, snapshots and the runtime see the ids of the image,
 * and the kernel maps them to the user's ids on disk: the store stays the user's.
 */
public final class UserNamespace {
  /** Set in the environment of a process started inside the namespace, so it never enters another. */
  public static final String ENTERED_ENV = "GANTRY_USERNS";
  /** The option of {@code unshare} that maps the user's subordinate ids too. */
  static final String MAP_SUBORDINATE = "--map-auto";
  private static final Path UID_MAP = Path.of("/proc/self/uid_map");

  private UserNamespace() {}

  /** One line of an id map: {@code count} ids from {@code inside} are {@code outside} on the host. */
  public record Mapping(long inside, long outside, long count) {
    /** The last inside id. */
    long lastInside() {
      return inside + count - 1;
    }
  }

  /** A subordinate id range of {@code /etc/subuid} or {@code /etc/subgid}. */
  public record Range(long start, long count) {
    @Override
    public String toString() {
      return start + "-" + (start + count - 1);
    }
  }

  /** The id map of this process ({@code /proc/self/uid_map}); empty when it cannot be read. */
  public static List<Mapping> uidMap() {
    try {
      return parseMap(Files.readString(UID_MAP, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return List.of();
    }
  }

  static List<Mapping> parseMap(String text) {
    List<Mapping> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length == 3) {
        out.add(new Mapping(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2])));
      }
    }
    return out;
  }

  /** True when this process runs in a user namespace that maps a single id. */
  public static boolean singleId() {
    List<Mapping> map = uidMap();
    return isNamespaced(map) && map.size() == 1 && map.get(0).count() == 1;
  }

  /** True when {@code map} is not the initial namespace's (all 2^32-1 ids mapped to themselves). */
  static boolean isNamespaced(List<Mapping> map) {
    return !(map.size() == 1 && map.get(0).inside() == 0 && map.get(0).outside() == 0
        && map.get(0).count() == 4294967295L);
  }

  /**
   * The subordinate ranges of the user named {@code name} with id {@code uid} in {@code file}
   * (lines {@code name-or-uid:start:count}); empty when the file is missing.
   */
  public static List<Range> subordinate(Path file, String name, long uid) {
    List<Range> out = new ArrayList<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return out;
    }
    for (String line : lines) {
      String[] f = line.trim().split(":");
      if (f.length == 3 && (f[0].equals(name) || f[0].equals(Long.toString(uid)))) {
        try {
          out.add(new Range(Long.parseLong(f[1]), Long.parseLong(f[2])));
        } catch (NumberFormatException e) {
          // not a range: newuidmap ignores it too
        }
      }
    }
    return out;
  }

  /**
   * The command that runs what follows it in a new user namespace (this user as root, the
   * subordinate ids as 1... when {@code subordinate}) and a new mount namespace.
   */
  public static List<String> enterCommand(boolean subordinate) {
    List<String> cmd = new ArrayList<>(List.of("unshare", "--map-root-user"));
    if (subordinate) {
      cmd.add(MAP_SUBORDINATE);
    }
    cmd.addAll(List.of("--mount", "--propagation", "private", "--"));
    return cmd;
  }

  /** What the namespace of {@code map} holds, in words: which host ids the ids inside are. */
  static String describe(List<Mapping> map) {
    StringBuilder b = new StringBuilder("user namespace: ");
    for (Mapping m : map) {
      if (b.length() > "user namespace: ".length()) {
        b.append(", ");
      }
      b.append(m.count() == 1 ? "id " + m.inside() : "ids " + m.inside() + "-" + m.lastInside())
          .append(m.count() == 1 ? " is host id " + m.outside() : " are host ids " + m.outside() + "-"
              + (m.outside() + m.count() - 1));
    }
    if (map.size() == 1 && map.get(0).count() == 1) {
      b.append("; no subordinate ids, so files can only be owned by root");
    }
    return b.toString();
  }

  /**
   * Runs this process's command line again inside a new namespace ({@link #enterCommand}), with the
   * same home directory and user name, its input and output inherited; returns its exit status.
   */
  public static int rerunInside(boolean subordinate) throws IOException {
    List<String> self = new ArrayList<>();
    for (String arg : Files.readString(Path.of("/proc/self/cmdline"), StandardCharsets.UTF_8).split("\0")) {
      self.add(arg);
    }
    List<String> cmd = new ArrayList<>(enterCommand(subordinate));
    cmd.add(ProcessHandle.current().info().command().orElse(self.get(0)));
    // inside, the JVM would take root's home and name from the user database
    cmd.add("-Duser.home=" + System.getProperty("user.home"));
    cmd.add("-Duser.name=" + System.getProperty("user.name"));
    cmd.addAll(self.subList(1, self.size()));
    ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
    pb.environment().put(ENTERED_ENV, "1");
    Process p = pb.start();
    try {
      return p.waitFor();
    } catch (InterruptedException e) {
      p.destroy();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while the build ran in a user namespace", e);
    }
  }
}
