package dev.gantry.ast;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole Dockerfile, typed and validated: its parser directives, the global ARGs before the
 * first FROM, its build stages and any warnings. Values are unexpanded.
 *
 * <p>This class is immutable and thread-safe.
 *
 * @param file the name used in diagnostics
 * @param escape the escape character ({@code \} or {@code `}), which the planner's variable
 *     expansion uses
 * @param directives the leading parser directives
 * @param globalArgs the ARG instructions before the first FROM (BuildKit's meta args)
 * @param stages the build stages, at least one
 * @param warnings non-fatal diagnostics (parser warnings, duplicate stage names, ...)
 */
public record Dockerfile(String file, char escape, List<Directive> directives, List<Arg> globalArgs,
    List<Stage> stages, List<Diagnostic> warnings) {
  public Dockerfile {
    Objects.requireNonNull(file, "file");
    directives = List.copyOf(directives);
    globalArgs = List.copyOf(globalArgs);
    stages = List.copyOf(stages);
    warnings = List.copyOf(warnings);
  }

  /**
   * The stage a build target names: matched case-insensitively against stage names; the last
   * stage with that name wins, as in BuildKit.
   */
  public Optional<Stage> stage(String name) {
    String wanted = name.toLowerCase(Locale.ROOT);
    Stage found = null;
    for (Stage s : stages) {
      if (s.name().filter(wanted::equals).isPresent()) {
        found = s;
      }
    }
    return Optional.ofNullable(found);
  }

  /** The last stage, which is built when no target is given. */
  public Stage lastStage() {
    return stages.get(stages.size() - 1);
  }
}
