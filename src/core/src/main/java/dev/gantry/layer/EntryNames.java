package dev.gantry.layer;

/**
 * Checks and cleans the names of archive entries before anything is written. Names are byte
 * strings (see {@link ByteNameTarInput}); errors show them as text.
 */
final class EntryNames {
  private EntryNames() {}

  /**
   * The clean relative form of a tar entry name, {@code ""} for the root. Absolute names are
   * refused unless {@code confineAbsolute} (then the leading slashes are dropped); names whose
   * {@code ..} components climb above the root are always refused.
   */
  static String check(String raw, boolean confineAbsolute) throws UnsafeArchiveException {
    if (raw.indexOf('\0') >= 0) {
      throw unsafe(raw, "the name contains a NUL character");
    }
    String name = raw;
    if (name.startsWith("/")) {
      if (!confineAbsolute) {
        throw unsafe(raw, "absolute names are refused");
      }
      name = name.replaceFirst("^/+", "");
    }
    String clean = LayerPaths.resolveLexically(name);
    if (clean == null) {
      throw unsafe(raw, "the name climbs above the root with \"..\"");
    }
    return clean;
  }

  /**
   * What the whiteout entry named {@code name} (last component of {@code raw}) deletes, or null
   * when {@code name} is not a whiteout. The opaque marker gives {@code .wh..opq}. A whiteout must
   * name one entry of its directory: {@code .wh.} alone, {@code .wh..} and {@code .wh...} are refused.
   */
  static String whiteoutVictim(String raw, String name) throws UnsafeArchiveException {
    if (!name.startsWith(LayerPaths.WHITEOUT_PREFIX)) {
      return null;
    }
    String victim = name.substring(LayerPaths.WHITEOUT_PREFIX.length());
    if (victim.isEmpty() || victim.equals(".") || victim.equals("..")) {
      throw unsafe(raw, "whiteout \"" + ByteNameTarInput.display(name) + "\" names "
          + (victim.isEmpty() ? "nothing" : "\"" + victim + "\"")
          + "; a whiteout .wh.NAME must name one entry of its directory");
    }
    return victim;
  }

  /** An error about the entry with byte-string name {@code raw}. */
  static UnsafeArchiveException unsafe(String raw, String reason) {
    return new UnsafeArchiveException(ByteNameTarInput.display(raw), reason);
  }
}
