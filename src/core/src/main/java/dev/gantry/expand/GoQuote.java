package dev.gantry.expand;

/**
 * Quotes a string the way Go's {@code %q} ({@code strconv.Quote}) does for the ASCII cases that
 * BuildKit's messages and image history text meet: {@code \" \\ \n \t \r}, other control
 * characters and DEL as {@code \xNN}, everything else as is. The one quoting rule of the parser,
 * the planner and expansion errors.
 */
public final class GoQuote {
  private GoQuote() {}

  /** {@code s} quoted. */
  public static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append(String.format("\\x%02x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
