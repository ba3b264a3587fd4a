package dev.gantry.ast;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses {@code RUN --mount=} values (comma-separated, CSV quoting) into {@link Mount}s with
 * BuildKit's rules and error messages. Errors are {@link IllegalArgumentException}s whose message
 * is the BuildKit wording.
 */
public final class Mounts {
  private Mounts() {}

  private static final List<String> TYPES = List.of("bind", "cache", "tmpfs", "secret", "ssh");
  private static final List<String> SHARING = List.of("shared", "private", "locked");
  private static final List<String> KEYS = List.of("type", "from", "source", "target", "readonly", "id",
      "sharing", "required", "size", "mode", "uid", "gid", "src", "dst", "destination", "ro", "rw",
      "readwrite", "env");

  /** Parses an expanded mount value; every option is checked. */
  public static Mount parse(String value) {
    return parse(value, false);
  }

  /**
   * Parses a mount value. When {@code deferVariables} is set, options whose value holds a
   * {@code $} are kept in {@link Mount#options()} but not checked (they are checked again after
   * expansion); {@code from} never accepts variables.
   */
  public static Mount parse(String value, boolean deferVariables) {
    List<String> fields = CsvFields.split(value, "mounts");
    State m = new State();
    for (String field : fields) {
      int eq = field.indexOf('=');
      String key = (eq < 0 ? field : field.substring(0, eq)).toLowerCase(Locale.ROOT);
      if (eq < 0) {
        m.flag(key, field);
        continue;
      }
      String v = field.substring(eq + 1);
      m.options.put(key, v);
      if (key.equals("from") && v.indexOf('$') >= 0 && v.indexOf('$') != v.length() - 1) {
        throw new IllegalArgumentException("'from' doesn't support variable expansion, define alias stage instead");
      }
      if (deferVariables && v.indexOf('$') >= 0) {
        if (key.equals("type")) {
          throw new IllegalArgumentException("mount type can't be set from a variable: " + v);
        }
        continue;
      }
      m.option(key, v, field);
    }
    return m.build();
  }

  static Map<String, String> ordered(Map<String, String> options) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(options));
  }

  /** Go's {@code strconv.ParseBool}. */
  static boolean parseBool(String key, String v) {
    switch (v) {
      case "1", "t", "T", "TRUE", "true", "True":
        return true;
      case "0", "f", "F", "FALSE", "false", "False":
        return false;
      default:
        throw new IllegalArgumentException("invalid value for " + key + ": " + v);
    }
  }

  private static final class State {
    Mount.Type type = Mount.Type.BIND;
    String from = "";
    String source = "";
    String target = "";
    boolean readOnly;
    boolean roAuto = true;
    long size;
    String id = "";
    Mount.Sharing sharing;
    boolean required;
    String env;
    Long mode;
    Long uid;
    Long gid;
    final Map<String, String> options = new LinkedHashMap<>();

    void flag(String key, String field) {
      switch (key) {
        case "readonly", "ro" -> {
          readOnly = true;
          roAuto = false;
        }
        case "readwrite", "rw" -> {
          readOnly = false;
          roAuto = false;
        }
        case "required" -> {
          if (type != Mount.Type.SECRET && type != Mount.Type.SSH) {
            throw unexpectedForType(key);
          }
          required = true;
        }
        default -> throw new IllegalArgumentException("invalid field '" + field + "' must be a key=value pair");
      }
    }

    void option(String key, String v, String field) {
      switch (key) {
        case "type" -> {
          String t = v.toLowerCase(Locale.ROOT);
          if (!TYPES.contains(t)) {
            throw new IllegalArgumentException(Suggestions.withSuggestion(
                "unsupported mount type \"" + v + "\"", v, TYPES, true));
          }
          type = Mount.Type.valueOf(t.toUpperCase(Locale.ROOT));
        }
        case "from" -> from = v;
        case "source", "src" -> source = v;
        case "target", "dst", "destination" -> target = v;
        case "readonly", "ro" -> {
          readOnly = parseBool(key, v);
          roAuto = false;
        }
        case "readwrite", "rw" -> {
          readOnly = !parseBool(key, v);
          roAuto = false;
        }
        case "required" -> {
          if (type != Mount.Type.SECRET && type != Mount.Type.SSH) {
            throw unexpectedForType(key);
          }
          required = parseBool(key, v);
        }
        case "size" -> {
          if (type != Mount.Type.TMPFS) {
            throw unexpectedForType(key);
          }
          size = ByteSizes.ramInBytes(v, key);
        }
        case "id" -> id = v;
        case "sharing" -> {
          String s = v.toLowerCase(Locale.ROOT);
          if (!SHARING.contains(s)) {
            throw new IllegalArgumentException(Suggestions.withSuggestion(
                "unsupported sharing value \"" + v + "\"", v, SHARING, true));
          }
          sharing = Mount.Sharing.valueOf(s.toUpperCase(Locale.ROOT));
        }
        case "mode" -> mode = unsigned(v, 8, "mode");
        case "uid" -> uid = unsigned(v, 10, "uid");
        case "gid" -> gid = unsigned(v, 10, "gid");
        case "env" -> env = v;
        default -> throw new IllegalArgumentException(Suggestions.withSuggestion(
            "unexpected key '" + key + "' in '" + field + "'", key, KEYS, true));
      }
    }

    private IllegalArgumentException unexpectedForType(String key) {
      return new IllegalArgumentException("unexpected key '" + key + "' for mount type '" + type.value() + "'");
    }

    Mount build() {
      boolean fileInfo = type == Mount.Type.SECRET || type == Mount.Type.SSH || type == Mount.Type.CACHE;
      if (!fileInfo) {
        String quoted = "\"" + type.value() + "\"";
        if (mode != null) {
          throw new IllegalArgumentException("mode not allowed for " + quoted + " type mounts");
        }
        if (uid != null) {
          throw new IllegalArgumentException("uid not allowed for " + quoted + " type mounts");
        }
        if (gid != null) {
          throw new IllegalArgumentException("gid not allowed for " + quoted + " type mounts");
        }
      }
      if (roAuto) {
        readOnly = !(type == Mount.Type.CACHE || type == Mount.Type.TMPFS);
      }
      if (type == Mount.Type.SECRET) {
        if (!from.isEmpty()) {
          throw new IllegalArgumentException("secret mount should not have a from");
        }
        if (sharing != null) {
          throw new IllegalArgumentException("secret mount should not define sharing");
        }
        if (source.isEmpty() && target.isEmpty() && id.isEmpty()) {
          throw new IllegalArgumentException("invalid secret mount. one of source, target required");
        }
        if (!source.isEmpty() && !id.isEmpty()) {
          throw new IllegalArgumentException("both source and id can't be set");
        }
      }
      if (sharing != null && type != Mount.Type.CACHE) {
        throw new IllegalArgumentException("invalid cache sharing set for " + type.value() + " mount");
      }
      return switch (type) {
        case BIND -> new Mount.Bind(target, source, from, readOnly, options);
        case CACHE -> new Mount.Cache(target, id, sharing == null ? Mount.Sharing.SHARED : sharing, from, source,
            readOnly, mode, uid, gid, options);
        case TMPFS -> new Mount.Tmpfs(target, size, readOnly, options);
        case SECRET -> new Mount.Secret(target, id, source, env, required, readOnly, mode, uid, gid, options);
        case SSH -> new Mount.Ssh(target, id, required, readOnly, mode, uid, gid, options);
      };
    }
  }

  /** Go's {@code strconv.ParseUint(v, base, 32)} with BuildKit's message. */
  private static Long unsigned(String v, int base, String name) {
    try {
      if (v.isEmpty() || v.startsWith("+") || v.startsWith("-")) {
        throw new NumberFormatException();
      }
      long n = Long.parseLong(v, base);
      if (n > 0xFFFF_FFFFL) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid value " + v + " for " + name);
    }
  }
}
