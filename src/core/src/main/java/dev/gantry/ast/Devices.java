package dev.gantry.ast;

import java.util.List;
import java.util.Locale;

/** Parses {@code RUN --device=} values with BuildKit's rules and messages. */
public final class Devices {
  private Devices() {}

  /**
   * Parses {@code name[,required[=bool]]} or {@code name=<name>,...}; throws
   * {@link IllegalArgumentException} with BuildKit's message on bad input.
   */
  public static Device parse(String value) {
    String name = "";
    boolean required = false;
    for (String field : CsvFields.split(value, "devices")) {
      int eq = field.indexOf('=');
      String key = (eq < 0 ? field : field.substring(0, eq)).toLowerCase(Locale.ROOT);
      if (eq < 0) {
        if (key.equals("required")) {
          required = true;
        } else if (name.isEmpty()) {
          name = field;
        } else {
          throw new IllegalArgumentException("invalid field '" + field + "' must be a key=value pair");
        }
        continue;
      }
      String v = field.substring(eq + 1);
      switch (key) {
        case "name" -> {
          if (!name.isEmpty()) {
            throw new IllegalArgumentException("device name already set to " + name);
          }
          name = v;
        }
        case "required" -> required = Mounts.parseBool(key, v);
        default -> {
          if (name.isEmpty()) {
            name = field;
          } else {
            throw new IllegalArgumentException(Suggestions.withSuggestion(
                "unexpected key '" + key + "' in '" + field + "'", key, List.of("name", "required"), true));
          }
        }
      }
    }
    return new Device(name, required);
  }
}
