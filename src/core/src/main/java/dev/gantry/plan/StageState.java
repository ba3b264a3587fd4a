package dev.gantry.plan;

import dev.gantry.oci.ContainerConfig;
import java.util.LinkedHashMap;

/**
 * The mutable dispatch state of a stage while it is planned: the container config, the author,
 * the variables an expansion or a RUN sees (ARG and ENV values in definition order, a later
 * definition replacing an earlier one, as in BuildKit's LLB state), the ARG scope, and whether CMD
 * was set in this stage. A stage built FROM another starts from a copy of that stage's final state.
 */
final class StageState {
  ContainerConfig config;
  String author;
  final LinkedHashMap<String, String> env;
  ArgScope args;
  boolean cmdSet;

  StageState(ContainerConfig config, String author, LinkedHashMap<String, String> env, ArgScope args) {
    this.config = config;
    this.author = author;
    this.env = env;
    this.args = args;
  }

  /** A copy for a stage that builds on this one: ONBUILD triggers do not carry over. */
  StageState inherit() {
    StageState s = new StageState(config.withOnBuild(java.util.List.of()), author, new LinkedHashMap<>(env), args);
    return s;
  }
}
