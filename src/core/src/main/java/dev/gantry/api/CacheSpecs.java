package dev.gantry.api;

import java.nio.file.Path;
import java.util.Locale;

/** Reads the {@code key=value,...} cache specifications of buildx ({@code --cache-from}, {@code --cache-to}). */
final class CacheSpecs {
  private CacheSpecs() {}

  /** Parses {@code spec} of option {@code flag}; {@code export} for {@code --cache-to} (dest=, mode=). */
  static CacheExport parse(String flag, String spec, boolean export) {
    String forms = export ? "type=registry,ref=REF[,mode=min|max] or type=local,dest=DIR[,mode=min|max]"
        : "type=registry,ref=REF or type=local,src=DIR";
    if (!spec.contains("=")) {
      if (spec.isBlank()) {
        throw new IllegalArgumentException(flag + " needs a value: " + forms);
      }
      return new CacheExport(new CacheLocation.Registry(spec.trim()), CacheExport.Mode.MIN);
    }
    String type = null;
    String ref = null;
    String dir = null;
    CacheExport.Mode mode = CacheExport.Mode.MIN;
    String dirKey = export ? "dest" : "src";
    for (String part : spec.split(",")) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(flag + " field '" + part + "' is not key=value; use " + forms);
      }
      String k = part.substring(0, eq).trim();
      String v = part.substring(eq + 1).trim();
      if (k.equals("type")) {
        type = v;
      } else if (k.equals("ref")) {
        ref = v;
      } else if (k.equals(dirKey)) {
        dir = v;
      } else if (k.equals("mode") && export) {
        mode = mode(flag, v);
      } else {
        throw new IllegalArgumentException(flag + " has unknown field '" + k + "'; use " + forms);
      }
    }
    if ("registry".equals(type) && ref != null && !ref.isEmpty() && dir == null) {
      return new CacheExport(new CacheLocation.Registry(ref), mode);
    }
    if ("local".equals(type) && dir != null && !dir.isEmpty() && ref == null) {
      return new CacheExport(new CacheLocation.Directory(Path.of(dir)), mode);
    }
    String what = type == null ? "needs type=" : !type.equals("registry") && !type.equals("local")
        ? "has unsupported type '" + type + "'" : "type=" + type + " needs " + (type.equals("registry") ? "ref=" : dirKey + "=")
        + " (and nothing else)";
    throw new IllegalArgumentException(flag + " " + what + "; use " + forms);
  }

  private static CacheExport.Mode mode(String flag, String value) {
    try {
      return CacheExport.Mode.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(flag + " mode must be min or max, not '" + value + "'", e);
    }
  }
}
