package dev.gantry.layer;

/** Checks and cleans the names of archive entries before anything is written. */
final class EntryNames {
  private EntryNames() {}

  /**
   * The clean relative form of a tar entry name, {@code ""} for the root. Absolute names are
   * refused unless {@code confineAbsolute} (then the leading slashes are dropped); names whose
   * {@code ..} components climb above the root are always refused.
   */
  static String check(String raw, boolean confineAbsolute) throws UnsafeArchiveException {
    if (raw.indexOf('\0') >= 0) {
      throw new UnsafeArchiveException(raw, "the name contains a NUL character");
    }
    String name = raw;
    if (name.startsWith("/")) {
      if (!confineAbsolute) {
        throw new UnsafeArchiveException(raw, "absolute names are refused");
      }
      name = name.replaceFirst("^/+", "");
    }
    String clean = LayerPaths.resolveLexically(name);
    if (clean == null) {
      throw new UnsafeArchiveException(raw, "the name climbs above the root with \"..\"");
    }
    return clean;
  }
}
