package dev.gantry.exec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The identity a RUN command runs as, resolved the way BuildKit does: {@code uid:gid} numbers are
 * taken as they are; otherwise the user (name or uid) is looked up in the root's /etc/passwd (a
 * numeric uid without an entry runs with gid 0), an explicit group (name or gid) in /etc/group, and
 * without an explicit group the supplementary groups are those listing the user's name. The primary
 * group is always among the supplementary groups (first, when it was not listed).
 *
 * @param uid user id
 * @param gid primary group id
 * @param additionalGids supplementary group ids
 */
public record ExecUser(long uid, long gid, List<Long> additionalGids) {
  public ExecUser {
    if (!additionalGids.contains(gid)) {
      List<Long> all = new ArrayList<>();
      all.add(gid);
      all.addAll(additionalGids);
      additionalGids = all;
    }
    additionalGids = List.copyOf(additionalGids);
  }

  /**
   * Resolves {@code spec} ({@code ""} is root) against the files of {@code root}.
   *
   * @throws IllegalArgumentException naming the user or group that cannot be found
   */
  public static ExecUser resolve(Path root, String spec) throws IOException {
    boolean isDefault = spec == null || spec.isEmpty();
    String s = isDefault ? "0" : spec;
    int colon = s.indexOf(':');
    String u = colon < 0 ? s : s.substring(0, colon);
    String g = colon < 0 ? "" : s.substring(colon + 1);
    if (colon >= 0 && number(u) >= 0 && number(g) >= 0) {
      return new ExecUser(number(u), number(g), List.of());
    }
    String passwd = RootPaths.readSmallFile(root, "/etc/passwd");
    String group = RootPaths.readSmallFile(root, "/etc/group");
    long uid = -1;
    long gid = 0;
    String name = null;
    for (String[] f : entries(passwd, 4)) {
      if (f[0].equals(u) || (number(u) >= 0 && number(f[2]) == number(u))) {
        name = f[0];
        uid = number(f[2]);
        gid = number(f[3]);
        break;
      }
    }
    if (name == null) {
      if (number(u) < 0) {
        if (isDefault) {
          return new ExecUser(0, 0, List.of());
        }
        throw new IllegalArgumentException("unable to find user " + u + ": no matching entries in passwd file");
      }
      uid = number(u);
    }
    List<Long> sgids = new ArrayList<>();
    if (!g.isEmpty()) {
      long found = -1;
      for (String[] f : entries(group, 3)) {
        if (number(g) >= 0 ? number(f[2]) == number(g) : f[0].equals(g)) {
          found = number(f[2]);
          break;
        }
      }
      if (found < 0 && number(g) < 0) {
        throw new IllegalArgumentException("unable to find group " + g + ": no matching entries in group file");
      }
      gid = found >= 0 ? found : number(g);
    } else if (name != null) {
      for (String[] f : entries(group, 4)) {
        for (String member : f[3].split(",")) {
          if (member.trim().equals(name)) {
            sgids.add(number(f[2]));
            break;
          }
        }
      }
    }
    return new ExecUser(uid, gid, sgids);
  }

  private static List<String[]> entries(String file, int minFields) {
    List<String[]> out = new ArrayList<>();
    for (String line : file.split("\n")) {
      String t = line.trim();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      String[] f = t.split(":", -1);
      if (f.length >= minFields && number(f[2]) >= 0) {
        out.add(f);
      }
    }
    return out;
  }

  /** The non-negative 32-bit number in {@code s} ({@code root} is 0), or -1. */
  private static long number(String s) {
    if (s.equals("root")) {
      return 0;
    }
    try {
      long v = Long.parseLong(s);
      return v >= 0 && v <= 0xffffffffL ? v : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
