package dev.gantry.oci;

/**
 * Orders strings by code point, which is the byte order of their UTF-8 encodings (and not the
 * UTF-16 order of {@link String#compareTo}): the order of names in a reproducible layer and in a
 * build context walk.
 */
public final class Utf8Order {
  private Utf8Order() {}

  /** Compares {@code a} and {@code b} whole. */
  public static int compare(String a, String b) {
    return compare(a, 0, a.length(), b, 0, b.length());
  }

  /** Compares {@code a[i, ea)} with {@code b[j, eb)}. */
  public static int compare(String a, int i, int ea, String b, int j, int eb) {
    while (i < ea && j < eb) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < ea, j < eb);
  }
}
