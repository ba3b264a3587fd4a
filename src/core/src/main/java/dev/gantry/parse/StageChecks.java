package dev.gantry.parse;

import dev.gantry.ast.Arg;
import dev.gantry.ast.ArgDefinition;
import dev.gantry.ast.Copy;
import dev.gantry.ast.Instruction;
import dev.gantry.ast.Mount;
import dev.gantry.ast.Run;
import dev.gantry.ast.SourceRange;
import dev.gantry.ast.Stage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks across stages that need no build context: duplicate stage names (a warning, as in
 * BuildKit), base names that are always blank, bad stage indexes and circular stage references.
 */
final class StageChecks {
  private StageChecks() {}

  private static final Pattern VARIABLE = Pattern.compile("\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)}|([A-Za-z_][A-Za-z0-9_]*))");

  static void check(List<Stage> stages, List<Arg> globalArgs, InstructionConverter.Run run) {
    Set<String> declared = new HashSet<>();
    for (Arg a : globalArgs) {
      for (ArgDefinition d : a.args()) {
        declared.add(d.key());
      }
    }
    Set<String> names = new HashSet<>();
    for (Stage s : stages) {
      String image = s.from().image();
      if (alwaysBlank(image, declared)) {
        run.error(s.range(), "base name (" + image + ") should not be blank", "name a base image, e.g. FROM alpine");
      }
      s.name().ifPresent(n -> {
        if (!names.add(n)) {
          run.warn(s.range(), "Duplicate stage name \"" + n + "\", stage names should be unique");
        }
      });
    }
    checkReferences(stages, run);
  }

  /** True when the word is empty after quote removal and every variable in it is undeclared. */
  static boolean alwaysBlank(String word, Set<String> declared) {
    Matcher m = VARIABLE.matcher(word);
    StringBuilder rest = new StringBuilder();
    int last = 0;
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2);
      if (declared.contains(name)) {
        return false;
      }
      rest.append(word, last, m.start());
      last = m.end();
    }
    rest.append(word.substring(last));
    return rest.toString().replace("\"", "").replace("'", "").isEmpty();
  }

  private static void checkReferences(List<Stage> stages, InstructionConverter.Run run) {
    Map<String, Integer> byName = new HashMap<>();
    for (Stage s : stages) {
      s.name().ifPresent(n -> byName.put(n, s.index()));
    }
    // dependencies: stage -> (dependency stage -> instruction range), in order of appearance
    List<Map<Integer, SourceRange>> deps = new ArrayList<>();
    Map<String, Integer> earlier = new HashMap<>();
    for (Stage s : stages) {
      Map<Integer, SourceRange> d = new LinkedHashMap<>();
      Integer base = earlier.get(s.from().image().toLowerCase(Locale.ROOT));
      if (base != null) {
        d.put(base, s.range());
      }
      for (Instruction ins : s.instructions()) {
        for (String ref : references(ins)) {
          Integer target = stageRef(ref, byName, stages.size(), ins, run);
          if (target != null) {
            d.putIfAbsent(target, ins.range());
          }
        }
      }
      deps.add(d);
      s.name().ifPresent(n -> earlier.put(n, s.index()));
    }
    int[] state = new int[stages.size()];
    for (int i = 0; i < stages.size(); i++) {
      SourceRange where = cycle(i, deps, state);
      if (where != null) {
        String name = stages.get(i).name().orElse(Integer.toString(i));
        run.error(where, "circular dependency detected on stage: " + name, "a stage cannot copy from itself or from a stage that depends on it");
        return;
      }
    }
  }

  private static List<String> references(Instruction ins) {
    List<String> refs = new ArrayList<>();
    if (ins instanceof Copy c && c.from() != null) {
      refs.add(c.from());
    } else if (ins instanceof Run r) {
      for (Mount m : r.mounts()) {
        String from = m instanceof Mount.Bind b ? b.from() : m instanceof Mount.Cache c ? c.from() : "";
        if (!from.isEmpty()) {
          refs.add(from);
        }
      }
    }
    return refs;
  }

  private static Integer stageRef(String ref, Map<String, Integer> byName, int count, Instruction ins,
      InstructionConverter.Run run) {
    if (!ref.isEmpty() && ref.chars().allMatch(c -> c >= '0' && c <= '9')) {
      int index;
      try {
        index = Integer.parseInt(ref);
      } catch (NumberFormatException e) {
        index = Integer.MAX_VALUE;
      }
      if (index >= count) {
        run.error(ins.range(), "invalid stage index " + ref, "stages are numbered from 0 in order of their FROM");
        return null;
      }
      return index;
    }
    return byName.get(ref.toLowerCase(Locale.ROOT));
  }

  /** Depth-first search; the range of this stage's reference that leads into a cycle, or null. */
  private static SourceRange cycle(int node, List<Map<Integer, SourceRange>> deps, int[] state) {
    if (state[node] == 2) {
      return null;
    }
    state[node] = 1;
    for (Map.Entry<Integer, SourceRange> e : deps.get(node).entrySet()) {
      int next = e.getKey();
      if (state[next] == 1) {
        return e.getValue();
      }
      if (cycle(next, deps, state) != null) {
        return e.getValue();
      }
    }
    state[node] = 2;
    return null;
  }
}
