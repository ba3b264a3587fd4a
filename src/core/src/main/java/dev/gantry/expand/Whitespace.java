package dev.gantry.expand;

/** The whitespace that separates words: the Unicode White_Space characters (incl. NBSP, NEL). */
final class Whitespace {
  private Whitespace() {}

  static boolean isSpace(int cp) {
    if (cp <= 0xFF) {
      return cp == '\t' || cp == '\n' || cp == 0x0B || cp == '\f' || cp == '\r' || cp == ' '
          || cp == 0x85 || cp == 0xA0;
    }
    return cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029
        || cp == 0x202F || cp == 0x205F || cp == 0x3000;
  }
}
