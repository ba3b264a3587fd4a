package dev.gantry.plan;

import dev.gantry.ast.Add;
import dev.gantry.ast.Copy;
import dev.gantry.ast.Dockerfile;
import dev.gantry.ast.Instruction;
import java.util.ArrayList;
import java.util.List;

/**
 * The COPY and ADD steps of the stages a build plans that read the build context (or a named
 * directory context) and whose sources and excludes are literal: no variable, quote or escape, so
 * they read exactly these paths whatever the ARG and ENV values. Their inputs can be digested
 * before planning reaches them (see {@link InputDigester#prefetch}).
 */
final class LiteralCopies {
  private LiteralCopies() {}

  static List<CopySpec> of(Dockerfile df, StageGraph graph) {
    List<CopySpec> out = new ArrayList<>();
    for (int index : graph.buildOrder()) {
      for (Instruction ins : df.stages().get(index).instructions()) {
        StageRef from = graph.source(index, ins).orElse(null);
        if (from != null && !(from instanceof StageRef.OfContext)) {
          continue;
        }
        if (ins instanceof Copy c && c.contents().isEmpty() && literal(c.sources()) && literal(c.excludes())) {
          out.add(spec(false, from, c.sources(), c.parents(), c.excludes()));
        } else if (ins instanceof Add a && a.contents().isEmpty() && literal(a.sources()) && literal(a.excludes())
            && a.sources().stream().noneMatch(CopySpec::isUrl)) {
          out.add(spec(true, null, a.sources(), false, a.excludes()));
        }
      }
    }
    return out;
  }

  private static CopySpec spec(boolean add, StageRef from, List<String> sources, boolean parents,
      List<String> excludes) {
    return new CopySpec(add, from, sources, List.of(), "/", null, null, false, parents, excludes, null, null);
  }

  private static boolean literal(List<String> words) {
    for (String w : words) {
      for (int i = 0; i < w.length(); i++) {
        if ("$\\`'\"".indexOf(w.charAt(i)) >= 0) {
          return false;
        }
      }
    }
    return true;
  }
}
