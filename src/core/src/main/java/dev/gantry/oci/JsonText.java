package dev.gantry.oci;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A compact JSON emitter that escapes strings exactly as Go's {@code encoding/json} does, so that the
 * bytes (and so the digests) of what Gantry writes can match Go tools'.
 *
 * <p>Values are {@code null}, {@link String}, {@link Boolean}, integral {@link Number}s,
 * {@link BigDecimal}, {@link Instant} (RFC 3339 with nanoseconds, trailing zeros dropped, as Go's
 * {@code time.Time}), {@link List}, {@link Map} (written in its iteration order) and {@link Raw}.
 */
final class JsonText {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  /** Already-serialised JSON text, written as is. */
  record Raw(String json) {}

  /** Orders map keys as Go does: by their UTF-8 bytes. */
  static final Comparator<String> GO_KEY_ORDER = Utf8Order::compare;

  private JsonText() {}

  /** The compact JSON text of {@code value}. */
  static String write(Object value) {
    StringBuilder sb = new StringBuilder(256);
    append(sb, value);
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

  private static void append(StringBuilder sb, Object v) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String s) {
      appendString(sb, s);
    } else if (v instanceof Boolean b) {
      sb.append(b.booleanValue());
    } else if (v instanceof Integer || v instanceof Long || v instanceof Short
        || v instanceof BigInteger) {
      sb.append(v);
    } else if (v instanceof BigDecimal d) {
      sb.append(d.toString());
    } else if (v instanceof Instant t) {
      appendString(sb, goTime(t));
    } else if (v instanceof Raw r) {
      sb.append(r.json());
    } else if (v instanceof List<?> list) {
      sb.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        append(sb, list.get(i));
      }
      sb.append(']');
    } else if (v instanceof Map<?, ?> map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        appendString(sb, (String) e.getKey());
        sb.append(':');
        append(sb, e.getValue());
      }
      sb.append('}');
    } else {
      throw new IllegalArgumentException("cannot write " + v.getClass() + " as JSON");
    }
  }

  /** Appends a quoted string with Go's escaping (HTML-safe, U+2028/2029 escaped). */
  static void appendString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case '<', '>', '&', '\u2028', '\u2029' -> unicodeEscape(sb, c);
        default -> {
          if (c < 0x20) {
            unicodeEscape(sb, c);
          } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1))) {
            sb.append(c).append(s.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            sb.append("\\ufffd"); // Go replaces invalid UTF-8 the same way
          } else {
            sb.append(c);
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
