package dev.gantry.plan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code Env} list of an image config while a stage is planned: {@code NAME=value} entries in
 * config order, where setting a name replaces its first entry in place (dropping later ones) or
 * appends, as BuildKit does. An index by name makes a set cost O(1), so a stage of many ENV lines is
 * planned in linear time; {@link #list()} copies the entries out. Mutable, used by one planner.
 */
final class ConfigEnv {
  private final List<String> entries;
  private final Map<String, Integer> first = new HashMap<>();
  private boolean duplicates;

  ConfigEnv(List<String> entries) {
    this.entries = new ArrayList<>(entries);
    reindex();
  }

  /** A copy for a stage that builds on this one. */
  ConfigEnv copy() {
    return new ConfigEnv(entries);
  }

  /** Sets {@code key} to {@code value}. */
  void set(String key, String value) {
    Integer at = first.get(key);
    if (at == null) {
      first.put(key, entries.size());
      entries.add(key + "=" + value);
    } else if (!duplicates) {
      entries.set(at, key + "=" + value);
    } else {
      // a base image listed a name twice: the rare case takes the plain, linear path
      List<String> replaced = Metadata.setEnv(entries, key, value);
      entries.clear();
      entries.addAll(replaced);
      reindex();
    }
  }

  /** The entries, in config order. */
  List<String> list() {
    return List.copyOf(entries);
  }

  private void reindex() {
    first.clear();
    duplicates = false;
    for (int i = 0; i < entries.size(); i++) {
      String e = entries.get(i);
      int eq = e.indexOf('=');
      duplicates |= first.putIfAbsent(eq < 0 ? e : e.substring(0, eq), i) != null;
    }
  }
}
