package dev.gantry.parse;

import dev.gantry.ast.Directive;
import dev.gantry.ast.SyntaxNode;
import dev.gantry.ast.SyntaxTree;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the comment block right above each instruction, as BuildKit's parser collects it: comment
 * lines outside instructions accumulate, an empty {@code #} line clears them, and each instruction
 * takes (and clears) what has accumulated. Parser directives are not comments.
 */
final class DocComments {
  private DocComments() {}

  /** The comments above each instruction, keyed by the instruction's first line. */
  public static Map<Integer, List<String>> scan(byte[] content, SyntaxTree tree) {
    String text = new String(content, StandardCharsets.UTF_8);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    String[] lines = text.split("\n", -1);
    Map<Integer, SyntaxNode> starts = new HashMap<>();
    Set<Integer> covered = new HashSet<>();
    for (SyntaxNode n : tree.children()) {
      starts.put(n.range().startLine(), n);
      for (int l = n.range().startLine(); l <= n.range().endLine(); l++) {
        covered.add(l);
      }
    }
    Set<Integer> directives = new HashSet<>();
    for (Directive d : tree.directives()) {
      directives.add(d.line());
    }
    Map<Integer, List<String>> out = new HashMap<>();
    List<String> comments = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      int line = i + 1;
      if (starts.containsKey(line)) {
        out.put(line, List.copyOf(comments));
        comments.clear();
        continue;
      }
      if (covered.contains(line) || directives.contains(line)) {
        continue;
      }
      String raw = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
      if (raw.strip().startsWith("#")) {
        String comment = raw.substring(1).strip();
        if (comment.isEmpty()) {
          comments.clear();
        } else {
          comments.add(comment);
        }
      }
    }
    return out;
  }

  /**
   * The description for {@code name}: the remainder of the first comment line that starts with
   * {@code name + " "}, or an empty string.
   */
  static String describe(List<String> comments, String name) {
    if (name == null || name.isEmpty()) {
      return "";
    }
    for (String c : comments) {
      if (c.startsWith(name + " ")) {
        return c.substring(name.length() + 1);
      }
    }
    return "";
  }
}
