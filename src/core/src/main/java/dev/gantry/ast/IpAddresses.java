package dev.gantry.ast;

/** Checks IP address literals the way Go's {@code net.ParseIP} accepts them, without DNS. */
final class IpAddresses {
  private IpAddresses() {}

  static boolean isValid(String s) {
    return isV4(s) || isV6(s);
  }

  static boolean isV4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)
          || (p.length() > 1 && p.charAt(0) == '0') || Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }

  static boolean isV6(String s) {
    if (s.isEmpty() || s.indexOf('%') >= 0) {
      return false;
    }
    int groups = 0;
    boolean ellipsis = false;
    int i = 0;
    if (s.startsWith("::")) {
      ellipsis = true;
      i = 2;
      if (i == s.length()) {
        return true;
      }
    }
    while (i < s.length()) {
      int end = i;
      while (end < s.length() && s.charAt(end) != ':') {
        end++;
      }
      String g = s.substring(i, end);
      if (end == s.length() && g.indexOf('.') >= 0) {
        if (!isV4(g)) {
          return false;
        }
        groups += 2;
        i = end;
        break;
      }
      if (g.isEmpty() || g.length() > 4 || !g.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        return false;
      }
      groups++;
      i = end;
      if (i == s.length()) {
        break;
      }
      i++; // ':'
      if (i < s.length() && s.charAt(i) == ':') {
        if (ellipsis) {
          return false;
        }
        ellipsis = true;
        i++;
        if (i == s.length()) {
          break;
        }
      } else if (i == s.length()) {
        return false;
      }
    }
    return ellipsis ? groups < 8 : groups == 8;
  }
}
