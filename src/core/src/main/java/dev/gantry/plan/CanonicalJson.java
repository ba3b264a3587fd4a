package dev.gantry.plan;

import java.util.Collection;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Writes maps, lists, strings, numbers and booleans as canonical JSON: object keys sorted, no
 * whitespace, every string escaped the same way. Two equal values always give the same text, so the
 * text can be hashed into a cache key (no joining of strings with separators).
 */
final class CanonicalJson {
  private CanonicalJson() {}

  static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value);
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object v) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String s) {
      string(sb, s);
    } else if (v instanceof Number || v instanceof Boolean) {
      sb.append(v);
    } else if (v instanceof Map<?, ?> m) {
      Map<?, ?> sorted = m;
      if (!(m instanceof SortedMap<?, ?> sm && sm.comparator() == null && allStringKeys(m))) {
        Map<String, Object> copy = new TreeMap<>();
        m.forEach((k, val) -> copy.put(String.valueOf(k), val));
        sorted = copy;
      }
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : sorted.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        string(sb, (String) e.getKey());
        sb.append(':');
        write(sb, e.getValue());
      }
      sb.append('}');
    } else if (v instanceof Collection<?> c) {
      sb.append('[');
      boolean first = true;
      for (Object o : c) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        write(sb, o);
      }
      sb.append(']');
    } else {
      string(sb, v.toString());
    }
  }

  private static boolean allStringKeys(Map<?, ?> m) {
    for (Object k : m.keySet()) {
      if (!(k instanceof String)) {
        return false;
      }
    }
    return true;
  }

  private static boolean plain(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\' || c == 0x7f) {
        return false;
      }
    }
    return true;
  }

  private static void string(StringBuilder sb, String s) {
    if (plain(s)) {
      sb.append('"').append(s).append('"');
      return;
    }
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
