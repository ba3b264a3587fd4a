package dev.gantry.plan;

import dev.gantry.expand.Env;
import dev.gantry.oci.ContainerConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The mutable dispatch state of a stage while it is planned: the container config, the author,
 * the variables an expansion or a RUN sees (ARG and ENV values in definition order, a later
 * definition replacing an earlier one, as in BuildKit's LLB state), the ARG scope, and whether CMD
 * was set in this stage. A stage built FROM another starts from a copy of that stage's final state.
 *
 * <p>The config's {@code Env} and {@code Labels}, which grow with the Dockerfile, are kept apart in
 * {@link ConfigEnv} and a map so that a step costs the same however many came before it;
 * {@link #config} holds every other field and {@link #image()} joins them.
 */
final class StageState {
  /**
   * The most characters the variables of a stage (names and values of every ARG and ENV in scope)
   * may hold together: 16 MiB.
   */
  static final long MAX_VARIABLE_CHARS = 16L << 20;
  /** The hint of an error about a size limit of variables or words. */
  static final String LARGE_DATA_HINT =
      "keep large data in files of the build context and COPY them instead of putting them in ARG or ENV";

  /** The container config apart from Env and Labels (empty here; see {@link #image()}). */
  ContainerConfig config;
  String author;
  /** The variables, read-only: change them with {@link #setVariable}. */
  final Map<String, String> env;
  ArgScope args;
  boolean cmdSet;
  private final LinkedHashMap<String, String> vars;
  private final ConfigEnv configEnv;
  private final LinkedHashMap<String, String> labels;
  private long varChars;
  private List<String> processEnv;

  private StageState(ContainerConfig config, String author, LinkedHashMap<String, String> vars, ArgScope args,
      ConfigEnv configEnv, LinkedHashMap<String, String> labels) {
    this.config = config.withEnv(List.of()).withLabels(Map.of());
    this.author = author;
    this.vars = vars;
    this.env = Collections.unmodifiableMap(vars);
    this.args = args;
    this.configEnv = configEnv;
    this.labels = labels;
    vars.forEach((k, v) -> varChars += k.length() + v.length());
  }

  /** The state a stage starts with from {@code config}: its Env entries are the first variables. */
  static StageState of(ContainerConfig config, String author, ArgScope args) {
    LinkedHashMap<String, String> vars = new LinkedHashMap<>();
    for (String e : config.env()) {
      int eq = e.indexOf('=');
      vars.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
    }
    return new StageState(config, author, vars, args, new ConfigEnv(config.env()),
        new LinkedHashMap<>(config.labels()));
  }

  /** A copy for a stage that builds on this one: ONBUILD triggers do not carry over. */
  StageState inherit() {
    return new StageState(config.withOnBuild(List.of()), author, new LinkedHashMap<>(vars), args, configEnv.copy(),
        new LinkedHashMap<>(labels));
  }

  /**
   * Defines a variable (it moves to the end of the definition order).
   *
   * @throws LimitException when the variables would hold more than {@link #MAX_VARIABLE_CHARS}
   */
  void setVariable(String name, String value) {
    String old = vars.get(name);
    long next = varChars + value.length() - (old == null ? -name.length() : old.length());
    if (next > MAX_VARIABLE_CHARS) {
      throw new LimitException("the variables of this stage would hold " + next + " characters, more than the limit of "
          + MAX_VARIABLE_CHARS + " (16 MiB); " + name + " is " + value.length() + " characters long",
          LARGE_DATA_HINT);
    }
    vars.remove(name);
    vars.put(name, value);
    varChars = next;
    processEnv = null;
  }

  /** Sets an Env entry of the image config. */
  void setConfigEnv(String name, String value) {
    configEnv.set(name, value);
  }

  /** Sets a label of the image config. */
  void setLabel(String name, String value) {
    labels.put(name, value);
  }

  /** The variables as expansion reads them: a live view, not a copy (copying them per word is quadratic). */
  Env variables() {
    return new Env() {
      @Override
      public Optional<String> lookup(String name) {
        return Optional.ofNullable(vars.get(name));
      }

      @Override
      public Set<String> names() {
        return env.keySet();
      }
    };
  }

  /** The variables as a process environment ({@code NAME=value}), shared until a variable changes. */
  List<String> processEnv() {
    if (processEnv == null) {
      List<String> out = new ArrayList<>(vars.size());
      vars.forEach((k, v) -> out.add(k + "=" + v));
      processEnv = List.copyOf(out);
    }
    return processEnv;
  }

  /** The whole container config as it stands. */
  ContainerConfig image() {
    return config.withEnv(configEnv.list()).withLabels(labels);
  }

  /** A planning limit that was passed; the message says which and by how much. */
  static final class LimitException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String hint;

    LimitException(String message, String hint) {
      super(message);
      this.hint = hint;
    }

    String hint() {
      return hint;
    }
  }
}
