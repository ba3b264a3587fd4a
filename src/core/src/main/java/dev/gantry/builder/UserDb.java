package dev.gantry.builder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * Resolves user and group names the way BuildKit does for {@code --chown} and WORKDIR: numbers are
 * taken as they are ({@code root} is 0), names are looked up in the stage's own /etc/passwd and
 * /etc/group; a user without a group gets the same numeric id as group, a named user its primary group.
 */
final class UserDb {
  private final String passwd;
  private final String group;

  private UserDb(String passwd, String group) {
    this.passwd = passwd;
    this.group = group;
  }

  /** Reads /etc/passwd and /etc/group from {@code tree} (either may be absent). */
  static UserDb of(FsTree tree) throws IOException {
    byte[] p = tree.read("etc/passwd");
    byte[] g = tree.read("etc/group");
    return new UserDb(p == null ? "" : new String(p, StandardCharsets.UTF_8),
        g == null ? "" : new String(g, StandardCharsets.UTF_8));
  }

  /**
   * The uid/gid of {@code spec} ({@code user}, {@code user:group}, numbers or names).
   *
   * @throws IllegalArgumentException naming the user or group that cannot be found
   */
  CopyExecutor.Owner resolve(String spec) {
    int colon = spec.indexOf(':');
    String u = colon < 0 ? spec : spec.substring(0, colon);
    String g = colon < 0 ? null : spec.substring(colon + 1);
    long uid;
    long gid;
    OptionalLong n = number(u);
    if (n.isPresent()) {
      uid = n.getAsLong();
      gid = uid;
    } else {
      String[] entry = entry(passwd, "passwd", "user", u, 4);
      uid = Long.parseLong(entry[2]);
      gid = Long.parseLong(entry[3]);
    }
    if (g != null) {
      OptionalLong gn = number(g);
      if (gn.isPresent()) {
        gid = gn.getAsLong();
      } else {
        gid = Long.parseLong(entry(group, "group", "group", g, 3)[2]);
      }
    }
    return new CopyExecutor.Owner(uid, gid);
  }

  private static OptionalLong number(String s) {
    if (s.equals("root")) {
      return OptionalLong.of(0);
    }
    try {
      long v = Long.parseLong(s);
      return v >= 0 && v <= Integer.MAX_VALUE ? OptionalLong.of(v) : OptionalLong.empty();
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  /**
   * The entry of {@code name} in {@code file} (the stage's /etc/{@code fileName}) with at least
   * {@code fields} fields.
   *
   * @throws IllegalArgumentException naming the {@code kind} (user, group) that cannot be found
   */
  private static String[] entry(String file, String fileName, String kind, String name, int fields) {
    String[] entry = find(file, name);
    if (entry == null || entry.length < fields) {
      throw new IllegalArgumentException("unable to find " + kind + " " + name + ": " + (file.isEmpty()
          ? "the stage has no /etc/" + fileName : "no matching entries in " + fileName + " file"));
    }
    return entry;
  }

  private static String[] find(String file, String name) {
    for (String line : file.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split(":", -1);
      if (f.length > 2 && f[0].equals(name)) {
        try {
          Long.parseLong(f[2]);
        } catch (NumberFormatException e) {
          continue;
        }
        return f;
      }
    }
    return null;
  }
}
