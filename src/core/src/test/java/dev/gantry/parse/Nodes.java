package dev.gantry.parse;

import dev.gantry.ast.Heredoc;
import dev.gantry.ast.SourceRange;
import dev.gantry.ast.SyntaxNode;
import dev.gantry.ast.SyntaxTree;
import java.util.ArrayList;
import java.util.List;

/** Builds syntax nodes by hand, shaped as the syntax layer makes them. */
final class Nodes {
  private Nodes() {}

  private static int line = 1;

  /** A shell-form node on its own line. */
  static SyntaxNode node(String keyword, List<String> flags, String... args) {
    return make(keyword, flags, List.of(args), List.of(), null, false);
  }

  /** A shell-form node without flags. */
  static SyntaxNode node(String keyword, String... args) {
    return node(keyword, List.of(), args);
  }

  /** An exec-form (JSON) node. */
  static SyntaxNode json(String keyword, String... args) {
    return make(keyword, List.of(), List.of(args), List.of(), null, true);
  }

  /** A node with heredocs. */
  static SyntaxNode withHeredocs(String keyword, List<Heredoc> heredocs, String... args) {
    return make(keyword, List.of(), List.of(args), heredocs, null, false);
  }

  /** An ONBUILD node around a child. */
  static SyntaxNode onbuild(SyntaxNode child) {
    return make("ONBUILD", List.of(), List.of(), List.of(), child, false);
  }

  static SyntaxNode make(String keyword, List<String> flags, List<String> args, List<Heredoc> heredocs,
      SyntaxNode child, boolean json) {
    int l = line++;
    StringBuilder original = new StringBuilder(keyword);
    flags.forEach(f -> original.append(' ').append(f));
    if (child != null) {
      original.append(' ').append(child.original());
    }
    args.forEach(a -> original.append(' ').append(a));
    return new SyntaxNode(keyword, flags, args, heredocs, child, json, new SourceRange(l, 1, l, original.length()),
        original.toString());
  }

  /** A tree of nodes, renumbered so that node i is on line i + 1. */
  static SyntaxTree tree(SyntaxNode... nodes) {
    List<SyntaxNode> renumbered = new ArrayList<>();
    for (int i = 0; i < nodes.length; i++) {
      SyntaxNode n = nodes[i];
      renumbered.add(new SyntaxNode(n.keyword(), n.flags(), n.args(), n.heredocs(), n.child(), n.json(),
          new SourceRange(i + 1, 1, i + 1, n.original().length()), n.original()));
    }
    return new SyntaxTree("Dockerfile", '\\', List.of(), renumbered, List.of());
  }
}
