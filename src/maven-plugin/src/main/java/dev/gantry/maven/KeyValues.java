package dev.gantry.maven;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The map parameters ({@code buildArgs}, {@code buildContexts}, {@code labels}): the POM's entries,
 * then the entries of a user property {@code -Dgantry.NAME=KEY=VALUE,KEY2=VALUE2}, which win. Maven
 * cannot convert a command-line string into a map parameter itself, so the property is read here.
 */
final class KeyValues {
  private KeyValues() {}

  /**
   * Merges {@code pom} (null values read as empty strings) with the user property {@code property}.
   *
   * @throws IllegalArgumentException for an entry without a name
   */
  static Map<String, String> merge(Map<String, String> pom, Properties userProperties, String property) {
    Map<String, String> out = new LinkedHashMap<>();
    if (pom != null) {
      for (Map.Entry<String, String> e : pom.entrySet()) {
        if (e.getKey() == null || e.getKey().isBlank()) {
          throw new IllegalArgumentException(property + " has an entry without a name");
        }
        out.put(e.getKey(), e.getValue() == null ? "" : e.getValue());
      }
    }
    String value = userProperties == null ? null : userProperties.getProperty(property);
    if (value != null && !value.isBlank()) {
      for (String entry : value.split(",")) {
        int eq = entry.indexOf('=');
        String key = eq < 0 ? entry.trim() : entry.substring(0, eq).trim();
        if (eq < 0 || key.isEmpty()) {
          throw new IllegalArgumentException("-D" + property + " needs KEY=VALUE entries separated by commas, got '"
              + entry.trim() + "'");
        }
        out.put(key, entry.substring(eq + 1));
      }
    }
    return out;
  }
}
