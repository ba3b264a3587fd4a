package dev.gantry.oci;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The one compact JSON writer, with two sets of rules:
 *
 * <ul>
 *   <li>{@link #write}: strings escaped exactly as Go's {@code encoding/json} does, so that the bytes
 *       (and so the digests) of image JSON can match Go tools'. Values are {@code null}, {@link String},
 *       {@link Boolean}, integral {@link Number}s, {@link BigDecimal}, {@link Instant} (RFC 3339 with
 *       nanoseconds, trailing zeros dropped, as Go's {@code time.Time}), {@link Collection}s, {@link Map}s
 *       (written in their iteration order) and {@link Raw}.
 *   <li>{@link #canonical}: the text cache keys hash (frozen by {@code plan.CacheKey.VERSION}): object
 *       keys sorted as Java strings, only {@code "}, {@code \}, control characters and DEL escaped
 *       ({@code \n \r \t}, else {@code \\u} and four hex digits), any {@link Number} as
 *       {@code toString}, any other value as the string of its {@code toString}. Equal values always
 *       give the same text.
 * </ul>
 */
public final class JsonText {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  /** Already-serialised JSON text, written as is. */
  record Raw(String json) {}

  /** Orders map keys as Go does: by their UTF-8 bytes. */
  static final Comparator<String> GO_KEY_ORDER = Utf8Order::compare;

  private JsonText() {}

  /** The compact JSON text of {@code value}, strings escaped as Go does. */
  static String write(Object value) {
    StringBuilder sb = new StringBuilder(256);
    append(sb, value, false);
    return sb.toString();
  }

  /** The canonical JSON text of {@code value}, as cache keys hash it (see the class comment). */
  public static String canonical(Object value) {
    StringBuilder sb = new StringBuilder(256);
    append(sb, value, true);
    return sb.toString();
  }

  /** Formats an instant as Go's {@code time.Time} marshals a UTC time. */
  static String goTime(Instant t) {
    StringBuilder sb = new StringBuilder(SECONDS.format(t));
    int nanos = t.getNano();
    if (nanos != 0) {
      String frac = String.format("%09d", nanos);
      int end = frac.length();
      while (frac.charAt(end - 1) == '0') {
        end--;
      }
      sb.append('.').append(frac, 0, end);
    }
    return sb.append('Z').toString();
  }

  private static void append(StringBuilder sb, Object v, boolean canonical) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String s) {
      string(sb, s, canonical);
    } else if (v instanceof Boolean b) {
      sb.append(b.booleanValue());
    } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof BigInteger
        || v instanceof BigDecimal || (canonical && v instanceof Number)) {
      sb.append(v);
    } else if (v instanceof Instant t && !canonical) {
      appendString(sb, goTime(t));
    } else if (v instanceof Raw r && !canonical) {
      sb.append(r.json());
    } else if (v instanceof Collection<?> c) {
      sb.append('[');
      boolean first = true;
      for (Object o : c) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        append(sb, o, canonical);
      }
      sb.append(']');
    } else if (v instanceof Map<?, ?> map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : (canonical ? sorted(map) : map).entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        string(sb, (String) e.getKey(), canonical);
        sb.append(':');
        append(sb, e.getValue(), canonical);
      }
      sb.append('}');
    } else if (canonical) {
      string(sb, v.toString(), true);
    } else {
      throw new IllegalArgumentException("cannot write " + v.getClass() + " as JSON");
    }
  }

  /** {@code map} with its keys as strings, sorted as Java strings (itself when it already is). */
  private static Map<?, ?> sorted(Map<?, ?> map) {
    if (map instanceof SortedMap<?, ?> sm && sm.comparator() == null
        && map.keySet().stream().allMatch(k -> k instanceof String)) {
      return map;
    }
    Map<String, Object> copy = new TreeMap<>();
    map.forEach((k, val) -> copy.put(String.valueOf(k), val));
    return copy;
  }

  /** Appends a quoted string with Go's escaping (HTML-safe, U+2028/2029 escaped). */
  static void appendString(StringBuilder sb, String s) {
    string(sb, s, false);
  }

  /**
   * Appends a quoted string: with Go's escaping, or ({@code canonical}) with the escaping of cache
   * keys, which keeps {@code <>&}, U+2028/2029 and lone surrogates and writes {@code \b \f} and DEL
   * as {@code \\u} and four hex digits.
   */
  private static void string(StringBuilder sb, String s, boolean canonical) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append(canonical ? "\\u0008" : "\\b");
        case '\f' -> sb.append(canonical ? "\\u000c" : "\\f");
        case '<', '>', '&', '\u2028', '\u2029' -> {
          if (canonical) {
            sb.append(c);
          } else {
            unicodeEscape(sb, c);
          }
        }
        default -> {
          if (c < 0x20 || (canonical && c == 0x7f)) {
            unicodeEscape(sb, c);
          } else if (canonical || !Character.isSurrogate(c)) {
            sb.append(c);
          } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            sb.append(c).append(s.charAt(++i));
          } else {
            sb.append("\\ufffd"); // Go replaces invalid UTF-8 the same way
          }
        }
      }
    }
    sb.append('"');
  }

  private static void unicodeEscape(StringBuilder sb, char c) {
    sb.append("\\u").append(HEX[(c >> 12) & 15]).append(HEX[(c >> 8) & 15])
        .append(HEX[(c >> 4) & 15]).append(HEX[c & 15]);
  }
}
