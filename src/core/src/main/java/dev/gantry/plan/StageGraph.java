package dev.gantry.plan;

import dev.gantry.ast.Copy;
import dev.gantry.ast.Diagnostic;
import dev.gantry.ast.Dockerfile;
import dev.gantry.ast.DockerfileException;
import dev.gantry.ast.Instruction;
import dev.gantry.ast.Mount;
import dev.gantry.ast.Onbuild;
import dev.gantry.ast.Run;
import dev.gantry.ast.SourceRange;
import dev.gantry.ast.Stage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import dev.gantry.expand.Env;
import dev.gantry.expand.ShellLexer;

/**
 * The stages of a Dockerfile and what each depends on (its FROM base, {@code COPY --from} and
 * {@code RUN --mount from=}), with the stages a target needs in an order they can be built in.
 * Stage references may point forward, as in BuildKit; cycles and unknown stage indexes are
 * positioned errors.
 *
 * <p>This class is immutable.
 */
public final class StageGraph {
  private static final ShellLexer LEXER = ShellLexer.standard();
  private final List<StageRef> bases;
  private final List<Map<Instruction, StageRef>> copySources;
  private final List<Integer> order;
  private final int target;

  private StageGraph(List<StageRef> bases, List<Map<Instruction, StageRef>> copySources, List<Integer> order,
      int target) {
    this.bases = bases;
    this.copySources = copySources;
    this.order = order;
    this.target = target;
  }

  /**
   * Resolves every stage's references.
   *
   * @param df the Dockerfile
   * @param fromImages each stage's FROM image after expansion with the global ARGs
   * @param fromFlags each {@code --from} value as written, by instruction (not expanded)
   * @param contextNames the named build contexts available
   * @param target the target stage name, or null for the last stage
   * @throws DockerfileException for an unknown target, an unknown stage index, or a cycle
   */
  public static StageGraph resolve(Dockerfile df, List<String> fromImages, Map<Instruction, String> fromFlags,
      Set<String> contextNames, String target) {
    List<Stage> stages = df.stages();
    Map<String, Integer> byName = new LinkedHashMap<>();
    for (Stage s : stages) {
      s.name().ifPresent(n -> byName.put(n.toLowerCase(Locale.ROOT), s.index()));
    }
    List<Diagnostic> errors = new ArrayList<>();
    List<StageRef> bases = new ArrayList<>();
    Map<String, Integer> earlier = new LinkedHashMap<>();
    for (Stage s : stages) {
      String image = fromImages.get(s.index());
      bases.add(resolveFrom(image, earlier, contextNames));
      s.name().ifPresent(n -> earlier.put(n.toLowerCase(Locale.ROOT), s.index()));
    }
    List<Map<Instruction, StageRef>> copies = new ArrayList<>();
    for (Stage s : stages) {
      Map<Instruction, StageRef> refs = new LinkedHashMap<>();
      for (Instruction ins : s.instructions()) {
        String from = fromFlags.get(ins);
        if (from == null) {
          continue;
        }
        if (!LEXER.processWord(from, Env.empty()).value().equals(from)) {
          errors.add(Diagnostic.error(df.file(), ins.range(),
              "variable expansion is not supported for --from, define a new stage with FROM using ARG"
                  + " from global scope as a workaround",
              "ARG V=x (before the first FROM), FROM image:${V} AS src, then COPY --from=src"));
          continue;
        }
        Optional<StageRef> ref = resolveFromFlag(from, stages.size(), byName, contextNames);
        if (ref.isEmpty()) {
          errors.add(Diagnostic.error(df.file(), ins.range(), "invalid stage index " + from,
              "stages are numbered from 0 in the order of their FROM lines; this file has " + stages.size()));
        } else {
          refs.put(ins, ref.get());
        }
      }
      copies.add(refs);
    }
    int targetIndex = stages.size() - 1;
    if (target != null) {
      Integer t = byName.get(target.toLowerCase(Locale.ROOT));
      if (t == null) {
        throw new DockerfileException(Diagnostic.error(df.file(), SourceRange.at(1, 1),
            "target stage \"" + target + "\" could not be found",
            "stages with names: " + String.join(", ", byName.keySet())));
      }
      targetIndex = t;
    }
    if (!errors.isEmpty()) {
      throw new DockerfileException(errors);
    }
    for (Stage s : stages) {
      visit(df, s.index(), bases, copies, new LinkedHashSet<>(), new ArrayList<>());
    }
    List<Integer> order = new ArrayList<>();
    visit(df, targetIndex, bases, copies, new LinkedHashSet<>(), order);
    for (int index : order) {
      String self = stages.get(index).name().orElse("stage-" + index);
      for (Map.Entry<Instruction, StageRef> e : copies.get(index).entrySet()) {
        if (e.getValue() instanceof StageRef.OfStage o && o.index() > index) {
          errors.add(Diagnostic.error(df.file(), e.getKey().range(), "cannot copy from stage \""
              + fromFlags.get(e.getKey()) + "\", it needs to be defined before current stage \"" + self + "\"",
              "move the stage it copies from above this one"));
        }
      }
    }
    if (!errors.isEmpty()) {
      throw new DockerfileException(errors);
    }
    order.sort(Integer::compare);
    return new StageGraph(List.copyOf(bases), List.copyOf(copies), List.copyOf(order), targetIndex);
  }

  private static StageRef resolveFrom(String image, Map<String, Integer> earlier, Set<String> contexts) {
    Integer idx = earlier.get(image);
    if (idx != null) {
      return new StageRef.OfStage(idx);
    }
    if (contexts.contains(image)) {
      return new StageRef.OfContext(image);
    }
    if (image.equalsIgnoreCase("scratch")) {
      return new StageRef.Scratch();
    }
    return new StageRef.OfImage(image);
  }

  private static Optional<StageRef> resolveFromFlag(String from, int count, Map<String, Integer> byName,
      Set<String> contexts) {
    Integer idx = byName.get(from.toLowerCase(Locale.ROOT));
    if (idx != null) {
      return Optional.of(new StageRef.OfStage(idx));
    }
    if (contexts.contains(from)) {
      return Optional.of(new StageRef.OfContext(from));
    }
    if (from.chars().allMatch(Character::isDigit) && !from.isEmpty()) {
      int i;
      try {
        i = Integer.parseInt(from);
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
      return i < count ? Optional.of(new StageRef.OfStage(i)) : Optional.empty();
    }
    return Optional.of(new StageRef.OfImage(from));
  }

  private static void visit(Dockerfile df, int index, List<StageRef> bases, List<Map<Instruction, StageRef>> copies,
      LinkedHashSet<Integer> onPath, List<Integer> order) {
    if (order.contains(index)) {
      return;
    }
    onPath.add(index);
    for (int dep : dependencies(index, bases, copies)) {
      if (onPath.contains(dep)) {
        Stage s = df.stages().get(dep);
        SourceRange where = copies.get(index).entrySet().stream()
            .filter(e -> e.getValue() instanceof StageRef.OfStage o && o.index() == dep)
            .map(e -> e.getKey().range()).findFirst().orElse(df.stages().get(index).range());
        throw new DockerfileException(Diagnostic.error(df.file(), where,
            "circular dependency detected on stage: " + s.name().orElse("stage-" + dep),
            "a stage cannot use itself, directly or through other stages, with --from"));
      }
      visit(df, dep, bases, copies, onPath, order);
    }
    onPath.remove(index);
    order.add(index);
  }

  private static Set<Integer> dependencies(int index, List<StageRef> bases, List<Map<Instruction, StageRef>> copies) {
    Set<Integer> deps = new LinkedHashSet<>();
    if (bases.get(index) instanceof StageRef.OfStage s) {
      deps.add(s.index());
    }
    for (StageRef r : copies.get(index).values()) {
      if (r instanceof StageRef.OfStage s) {
        deps.add(s.index());
      }
    }
    return deps;
  }

  /** The {@code --from} values of a stage's instructions (COPY, RUN mounts, ONBUILD excluded). */
  public static Map<Instruction, String> fromFlags(Stage stage) {
    Map<Instruction, String> flags = new LinkedHashMap<>();
    for (Instruction ins : stage.instructions()) {
      if (ins instanceof Copy c && c.from() != null) {
        flags.put(ins, c.from());
      } else if (ins instanceof Run r) {
        for (Mount m : r.mounts()) {
          String from = m.options().get("from");
          if (from != null) {
            flags.put(ins, from);
          }
        }
      } else if (ins instanceof Onbuild) {
        continue;
      }
    }
    return flags;
  }

  /** The base of stage {@code index}. */
  public StageRef base(int index) {
    return bases.get(index);
  }

  /** Where {@code instruction}'s {@code --from} points, if it has one. */
  public Optional<StageRef> source(int stage, Instruction instruction) {
    return Optional.ofNullable(copySources.get(stage).get(instruction));
  }

  /** The stages the target needs, each after the stages it depends on; the target is last. */
  public List<Integer> buildOrder() {
    return order;
  }

  /** The index of the target stage. */
  public int target() {
    return target;
  }

  /** The stages {@code index} depends on directly. */
  public Set<Integer> dependencies(int index) {
    return dependencies(index, bases, copySources);
  }
}
