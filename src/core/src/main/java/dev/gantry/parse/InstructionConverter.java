package dev.gantry.parse;

import dev.gantry.ast.Arg;
import dev.gantry.ast.Diagnostic;
import dev.gantry.ast.Dockerfile;
import dev.gantry.ast.DockerfileException;
import dev.gantry.ast.From;
import dev.gantry.ast.Instruction;
import dev.gantry.ast.SourceRange;
import dev.gantry.ast.Stage;
import dev.gantry.ast.SyntaxNode;
import dev.gantry.ast.SyntaxTree;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a {@link SyntaxTree} into a typed, validated {@link Dockerfile}, as BuildKit's
 * {@code instructions} package does, and reports every error of the file at once.
 *
 * <p>Stateless and thread-safe.
 */
final class InstructionConverter {
  private InstructionConverter() {}

  /** Converts a tree without doc comments; see {@link #convert(SyntaxTree, Map)}. */
  public static Dockerfile convert(SyntaxTree tree) {
    return convert(tree, Map.of());
  }

  /**
   * Converts a tree. {@code commentsByLine} maps an instruction's first line to the comment lines
   * right above it ({@link DocComments#scan}), used for ARG and FROM descriptions.
   *
   * @throws DockerfileException with every error found, each positioned, in source order
   */
  public static Dockerfile convert(SyntaxTree tree, Map<Integer, List<String>> commentsByLine) {
    Run run = new Run(tree.file());
    List<Arg> globalArgs = new ArrayList<>();
    List<Stage> stages = new ArrayList<>();
    From from = null;
    List<Instruction> current = null;
    boolean inStage = false;
    boolean reportedNoStage = false;
    for (SyntaxNode node : tree.children()) {
      Instruction ins;
      try {
        ins = Instructions.convert(node, commentsByLine.getOrDefault(node.range().startLine(), List.of()),
            message -> run.warn(node.range(), message));
      } catch (ConversionError e) {
        run.error(node.range(), e.getMessage(), e.hint());
        if (node.name().equals("from")) {
          if (from != null) {
            stages.add(new Stage(stages.size(), from, current));
          }
          from = null;
          current = null;
          inStage = true;
        }
        continue;
      }
      if (ins instanceof From f) {
        if (from != null) {
          stages.add(new Stage(stages.size(), from, current));
        }
        from = f;
        current = new ArrayList<>();
        inStage = true;
      } else if (!inStage) {
        if (ins instanceof Arg a) {
          globalArgs.add(a);
        } else if (!reportedNoStage) {
          reportedNoStage = true;
          run.error(node.range(), "no build stage in current context",
              "a Dockerfile starts with FROM; only ARG instructions may come before the first FROM");
        }
      } else if (current != null) {
        current.add(ins);
      }
    }
    if (from != null) {
      stages.add(new Stage(stages.size(), from, current));
    }
    if (tree.children().isEmpty()) {
      run.error(SourceRange.at(1, 1), "the Dockerfile cannot be empty", null);
    } else if (!inStage && run.errors.isEmpty()) {
      SyntaxNode last = tree.children().get(tree.children().size() - 1);
      run.error(last.range(), "dockerfile contains no stages to build", "add a FROM instruction");
    }
    StageChecks.check(stages, globalArgs, run);
    if (!run.errors.isEmpty()) {
      run.errors.sort(Comparator.comparingInt((Diagnostic d) -> d.range().startLine())
          .thenComparingInt(d -> d.range().startColumn()));
      throw new DockerfileException(run.errors);
    }
    List<Diagnostic> warnings = new ArrayList<>(tree.warnings());
    warnings.addAll(run.warnings);
    return new Dockerfile(tree.file(), tree.escape(), tree.directives(), globalArgs, stages, warnings);
  }

  /** The diagnostics gathered while converting one file. */
  static final class Run {
    final String file;
    final List<Diagnostic> errors = new ArrayList<>();
    final List<Diagnostic> warnings = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();

    Run(String file) {
      this.file = file;
    }

    void error(SourceRange range, String message, String hint) {
      if (seen.add(range + "\0" + message)) {
        errors.add(Diagnostic.error(file, range, message, hint));
      }
    }

    void warn(SourceRange range, String message) {
      warnings.add(Diagnostic.warning(file, range, message));
    }
  }
}
