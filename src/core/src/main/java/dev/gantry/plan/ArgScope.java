package dev.gantry.plan;

import dev.gantry.expand.Env;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The build arguments a point of a Dockerfile can see, with BuildKit's rules: global ARGs (before the
 * first FROM) are visible to FROM lines only, unless a stage re-declares them; a stage ARG takes its
 * value from {@code --build-arg}, else from the global ARG of that name (when it has no default of
 * its own), else from its default; ENV values win over ARG values in expansion.
 *
 * <p>This class is immutable: every declaration returns a new scope.
 */
public final class ArgScope {
  /** ARGs Docker defines without a declaration; proxies reach RUN only when given as build args. */
  public static final Set<String> PROXY_ARGS = Set.of("HTTP_PROXY", "http_proxy", "HTTPS_PROXY",
      "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy");

  private final Map<String, String> buildArgs;
  private final Map<String, String> globals;
  private final Map<String, String> declared;

  private ArgScope(Map<String, String> buildArgs, Map<String, String> globals, Map<String, String> declared) {
    this.buildArgs = buildArgs;
    this.globals = globals;
    this.declared = declared;
  }

  /**
   * The global scope before the first FROM: the platform ARGs are predefined there.
   *
   * @param buildArgs the {@code --build-arg} values
   * @param predefined TARGETPLATFORM, BUILDPLATFORM, ... with their values
   */
  public static ArgScope global(Map<String, String> buildArgs, Map<String, String> predefined) {
    Map<String, String> declared = new LinkedHashMap<>(predefined);
    return new ArgScope(Map.copyOf(buildArgs), Map.of(), Collections.unmodifiableMap(declared));
  }

  /**
   * Declares {@code name} with an (already expanded) default, or none (null).
   * Returns the new scope.
   */
  public ArgScope declare(String name, String expandedDefault) {
    Map<String, String> next = new LinkedHashMap<>(declared);
    String value;
    if (buildArgs.containsKey(name)) {
      value = buildArgs.get(name);
    } else if (expandedDefault != null) {
      value = expandedDefault;
    } else if (globals.containsKey(name)) {
      value = globals.get(name);
    } else {
      value = null;
    }
    next.remove(name);
    next.put(name, value);
    return new ArgScope(buildArgs, globals, Collections.unmodifiableMap(next));
  }

  /**
   * The scope a stage starts with: nothing declared, but the global ARGs (and predefined ones)
   * remembered so that a bare {@code ARG NAME} in the stage picks up their values.
   */
  public ArgScope enterStage(Map<String, String> stagePredefined) {
    Map<String, String> g = new LinkedHashMap<>(stagePredefined);
    declared.forEach((k, v) -> {
      if (v != null) {
        g.put(k, v);
      }
    });
    return new ArgScope(buildArgs, Collections.unmodifiableMap(g), Map.of());
  }

  /** Declared names with their values (null when declared without any value), in declaration order. */
  public Map<String, String> declared() {
    return declared;
  }

  /** True when {@code name} was declared in this scope. */
  public boolean isDeclared(String name) {
    return declared.containsKey(name);
  }

  /** The build args that were given, for the "not consumed" warning. */
  public Map<String, String> buildArgs() {
    return buildArgs;
  }

  /** The value of a declared ARG that has one. */
  public Optional<String> value(String name) {
    return Optional.ofNullable(declared.get(name));
  }

  /**
   * The variables an expansion sees: declared ARGs with a value, overridden by {@code env}
   * ({@code NAME=value} entries of the image config).
   */
  public Env expansionEnv(List<String> env) {
    Map<String, String> vars = new LinkedHashMap<>();
    declared.forEach((k, v) -> {
      if (v != null) {
        vars.put(k, v);
      }
    });
    for (String e : env) {
      int eq = e.indexOf('=');
      vars.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
    }
    return Env.of(vars);
  }

  /** Declared ARGs with values, sorted by name: what a step's cache key records. */
  public Map<String, String> visibleValues() {
    Map<String, String> sorted = new TreeMap<>();
    declared.forEach((k, v) -> {
      if (v != null) {
        sorted.put(k, v);
      }
    });
    return sorted;
  }
}
