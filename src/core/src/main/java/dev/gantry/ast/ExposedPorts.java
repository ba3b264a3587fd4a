package dev.gantry.ast;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Normalises EXPOSE port specs ({@code [ip:][hostPort:]port[-end][/proto]}) to the image
 * config's {@code port/proto} keys, as BuildKit does: {@code 80} becomes {@code 80/tcp}, ranges
 * are expanded, host parts are checked and dropped.
 */
public final class ExposedPorts {
  private ExposedPorts() {}

  /** Every {@code port/proto} of the specs, in order; throws on the first bad spec. */
  public static List<String> normalize(List<String> specs) {
    List<String> out = new ArrayList<>();
    for (String spec : specs) {
      out.addAll(normalize(spec));
    }
    return List.copyOf(out);
  }

  /**
   * The {@code port/proto} keys of one spec; throws {@link IllegalArgumentException} with
   * BuildKit's message (for example {@code invalid port: "": no port specified}).
   */
  public static List<String> normalize(String spec) {
    String[] parts = spec.split(":", -1);
    String ip = "";
    String hostPort = "";
    String container;
    int n = parts.length;
    if (n == 1) {
      container = parts[0];
    } else if (n == 2) {
      hostPort = parts[0];
      container = parts[1];
    } else {
      ip = String.join(":", java.util.Arrays.copyOfRange(parts, 0, n - 2));
      hostPort = parts[n - 2];
      container = parts[n - 1];
    }
    int slash = container.indexOf('/');
    String port = slash < 0 ? container : container.substring(0, slash);
    String proto = slash < 0 ? "" : container.substring(slash + 1);
    if (port.isEmpty()) {
      throw new IllegalArgumentException("invalid port: " + quote(spec) + ": no port specified");
    }
    switch (proto.toLowerCase(Locale.ROOT)) {
      case "" -> proto = "tcp";
      case "tcp", "udp", "sctp" -> { }
      default -> throw new IllegalArgumentException("invalid port: " + quote(spec) + ": invalid proto: " + proto);
    }
    if (!ip.isEmpty() && ip.charAt(0) == '[') {
      int close = ip.indexOf(']');
      if (close != ip.length() - 1) {
        throw new IllegalArgumentException("invalid IP address " + ip);
      }
      ip = ip.substring(1, close);
    }
    if (!ip.isEmpty() && !IpAddresses.isValid(ip)) {
      throw new IllegalArgumentException("invalid IP address: " + ip);
    }
    int[] range = range(port, "containerPort");
    if (!hostPort.isEmpty()) {
      int[] host = range(hostPort, "hostPort");
      if (range[1] - range[0] != host[1] - host[0] && range[1] != range[0]) {
        throw new IllegalArgumentException("invalid ranges specified for container and host Ports: "
            + port + " and " + hostPort);
      }
    }
    List<String> out = new ArrayList<>();
    for (int p = range[0]; p <= range[1]; p++) {
      out.add(p + "/" + proto.toLowerCase(Locale.ROOT));
    }
    return List.copyOf(out);
  }

  private static int[] range(String ports, String what) {
    int dash = ports.indexOf('-');
    String start = dash < 0 ? ports : ports.substring(0, dash);
    String end = dash < 0 ? start : ports.substring(dash + 1);
    int s = number(start, what, ports);
    if (dash < 0 || start.equals(end)) {
      return new int[] {s, s};
    }
    int e = number(end, what, ports);
    if (e < s) {
      throw new IllegalArgumentException("invalid " + what + ": " + ports);
    }
    return new int[] {s, e};
  }

  private static int number(String raw, String what, String whole) {
    try {
      String digits = raw.startsWith("+") || raw.startsWith("-") ? raw.substring(1) : raw;
      if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new NumberFormatException();
      }
      long v = Long.parseLong(raw.startsWith("+") ? digits : raw);
      if (v < 0 || v > 65535) {
        throw new NumberFormatException();
      }
      return (int) v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid " + what + ": " + whole);
    }
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
