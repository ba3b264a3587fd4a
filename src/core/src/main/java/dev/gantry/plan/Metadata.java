package dev.gantry.plan;

import dev.gantry.expand.GoQuote;
import dev.gantry.oci.ContainerConfig;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** How metadata instructions change a container config, as BuildKit's dispatchers change it. */
final class Metadata {
  /** The PATH BuildKit gives every Linux image that lacks one. */
  static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");

  private Metadata() {}

  /** {@code NAME=value} list with {@code key} replaced in place, or appended. */
  static List<String> setEnv(List<String> env, String key, String value) {
    List<String> out = new ArrayList<>(env.size() + 1);
    boolean replaced = false;
    for (String e : env) {
      int eq = e.indexOf('=');
      String k = eq < 0 ? e : e.substring(0, eq);
      if (k.equals(key)) {
        if (!replaced) {
          out.add(key + "=" + value);
          replaced = true;
        }
      } else {
        out.add(e);
      }
    }
    if (!replaced) {
      out.add(key + "=" + value);
    }
    return out;
  }

  /** Whether {@code env} sets {@code key}. */
  static boolean hasEnv(List<String> env, String key) {
    for (String e : env) {
      int eq = e.indexOf('=');
      if ((eq < 0 ? e : e.substring(0, eq)).equals(key)) {
        return true;
      }
    }
    return false;
  }

  static ContainerConfig expose(ContainerConfig c, List<String> ports) {
    Set<String> all = new LinkedHashSet<>(c.exposedPorts());
    all.addAll(ports);
    return c.withExposedPorts(all);
  }

  static ContainerConfig volume(ContainerConfig c, List<String> paths) {
    Set<String> all = new LinkedHashSet<>(c.volumes());
    all.addAll(paths);
    return c.withVolumes(all);
  }

  /** Wraps shell-form arguments in the config's SHELL (default {@code /bin/sh -c}). */
  static List<String> withShell(ContainerConfig c, List<String> args) {
    List<String> shell = c.shell().isEmpty() ? DEFAULT_SHELL : c.shell();
    List<String> out = new ArrayList<>(shell);
    out.addAll(args);
    return out;
  }

  /** Go's {@code %q} of a string slice: {@code ["a" "b"]}. */
  static String goQuoteList(List<String> values) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(GoQuote.quote(values.get(i)));
    }
    return sb.append(']').toString();
  }

  /** Go's {@code %v} of a string slice: {@code [a b]}. */
  static String goList(List<String> values) {
    return "[" + String.join(" ", values) + "]";
  }

  /** Joins a working directory with a WORKDIR argument and cleans it (POSIX). */
  static String workdir(String current, String path) {
    String joined = path.startsWith("/") ? path : (current.isEmpty() ? "/" : current) + "/" + path;
    return cleanPath(joined);
  }

  /** Go's {@code path.Clean} for absolute paths. */
  static String cleanPath(String p) {
    List<String> parts = new ArrayList<>();
    for (String part : p.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!parts.isEmpty()) {
          parts.remove(parts.size() - 1);
        }
      } else {
        parts.add(part);
      }
    }
    return "/" + String.join("/", parts);
  }
}
