package dev.gantry.parse;

import dev.gantry.ast.Suggestions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The {@code --flag[=value]} parser of Dockerfile instructions, with BuildKit's rules: flags are
 * declared first ({@link #addBool}, {@link #addString}, {@link #addStrings}), then {@link #parse()}
 * reads the instruction's flag words and fails on unknown, repeated or malformed flags.
 */
public final class BuilderFlags {

  /** The kind of a flag's value. */
  public enum Type {
    BOOL, STRING, STRINGS
  }

  /** One declared flag and, after parsing, its value. */
  public static final class Flag {
    private final String name;
    private final Type type;
    private String value;
    private final List<String> values = new ArrayList<>();
    private boolean used;

    private Flag(String name, Type type, String value) {
      this.name = name;
      this.type = type;
      this.value = value;
    }

    /** The flag name without dashes. */
    public String name() {
      return name;
    }

    /** The value ({@code "true"}/{@code "false"} for booleans); the default when not given. */
    public String value() {
      return value;
    }

    /** The value, or null when the flag was not given. */
    public String valueOrNull() {
      return used ? value : null;
    }

    /** True for a boolean flag that is set. */
    public boolean isTrue() {
      return "true".equals(value);
    }

    /** Every value of a repeatable flag, in order. */
    public List<String> values() {
      return List.copyOf(values);
    }

    /** Whether the flag was given (even when set to its default). */
    public boolean isUsed() {
      return used;
    }
  }

  private final List<String> args;
  private final Map<String, Flag> flags = new LinkedHashMap<>();

  /** A parser over the flag words of one instruction, e.g. {@code ["--from=build", "--link"]}. */
  public BuilderFlags(List<String> args) {
    this.args = List.copyOf(args);
  }

  /** Declares a boolean flag. */
  public Flag addBool(String name, boolean def) {
    return add(name, Type.BOOL, def ? "true" : "false");
  }

  /** Declares a string flag with its default value. */
  public Flag addString(String name, String def) {
    return add(name, Type.STRING, def);
  }

  /** Declares a repeatable string flag. */
  public Flag addStrings(String name) {
    return add(name, Type.STRINGS, "");
  }

  private Flag add(String name, Type type, String def) {
    if (flags.containsKey(name)) {
      throw new IllegalStateException("Duplicate flag defined: " + name);
    }
    Flag f = new Flag(name, type, def);
    flags.put(name, f);
    return f;
  }

  /** The declared flag names, sorted, as {@code --name} (for hints). */
  public String declared() {
    if (flags.isEmpty()) {
      return "this instruction takes no flags";
    }
    List<String> names = new ArrayList<>();
    new TreeSet<>(flags.keySet()).forEach(n -> names.add("--" + n));
    return "valid flags: " + String.join(", ", names);
  }

  /** The names of the flags given, sorted. */
  public List<String> used() {
    List<String> used = new ArrayList<>();
    flags.values().stream().filter(f -> f.used).forEach(f -> used.add(f.name));
    used.sort(null);
    return List.copyOf(used);
  }

  /**
   * Reads the flag words; throws {@link IllegalArgumentException} with BuildKit's message on the
   * first bad one. A bare {@code --} ends the flags.
   */
  public void parse() {
    for (String a : args) {
      if (a.equals("--")) {
        return;
      }
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("arg should start with -- : " + a);
      }
      int eq = a.indexOf('=');
      String flagName = eq < 0 ? a : a.substring(0, eq);
      String value = eq < 0 ? "" : a.substring(eq + 1);
      boolean hasValue = eq >= 0;
      String name = flagName.substring(2);
      Flag flag = flags.get(name);
      if (flag == null) {
        throw new IllegalArgumentException(
            Suggestions.withSuggestion("unknown flag: " + flagName, name, flags.keySet(), true));
      }
      if (flag.used && flag.type != Type.STRINGS) {
        throw new IllegalArgumentException("duplicate flag specified: " + flagName);
      }
      flag.used = true;
      switch (flag.type) {
        case BOOL -> {
          if (hasValue && value.isEmpty()) {
            throw new IllegalArgumentException("missing a value on flag: " + flagName);
          }
          switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "" -> flag.value = "true";
            case "false" -> flag.value = "false";
            default -> throw new IllegalArgumentException(
                "expecting boolean value for flag " + flagName + ", not: " + value);
          }
        }
        case STRING -> {
          if (!hasValue) {
            throw new IllegalArgumentException("missing a value on flag: " + flagName);
          }
          flag.value = value;
        }
        case STRINGS -> {
          if (!hasValue) {
            throw new IllegalArgumentException("missing a value on flag: " + flagName);
          }
          flag.values.add(value);
        }
      }
    }
  }
}
