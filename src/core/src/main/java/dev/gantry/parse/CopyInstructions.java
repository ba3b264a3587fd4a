package dev.gantry.parse;

import dev.gantry.ast.Add;
import dev.gantry.ast.Copy;
import dev.gantry.ast.Heredoc;
import dev.gantry.ast.SourceContent;
import dev.gantry.ast.SyntaxNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Converts COPY and ADD: flags, sources (paths and inline heredocs) and the destination. */
final class CopyInstructions {
  private CopyInstructions() {}

  private record Sources(List<String> paths, List<SourceContent> contents, String destination) {}

  static Copy copy(SyntaxNode node) {
    arity(node, "COPY");
    BuilderFlags flags = new BuilderFlags(node.flags());
    BuilderFlags.Flag chown = flags.addString("chown", "");
    BuilderFlags.Flag from = flags.addString("from", "");
    BuilderFlags.Flag chmod = flags.addString("chmod", "");
    BuilderFlags.Flag link = flags.addBool("link", false);
    BuilderFlags.Flag exclude = flags.addStrings("exclude");
    BuilderFlags.Flag parents = flags.addBool("parents", false);
    SimpleInstructions.parse(flags);
    Sources s = sources(node, "COPY");
    for (String src : s.paths()) {
      if (src.startsWith("http://") || src.startsWith("https://")) {
        throw new ConversionError("source can't be a URL for COPY", "use ADD to download a URL");
      }
    }
    String fromValue = from.valueOrNull();
    if (fromValue != null && fromValue.isEmpty()) {
      fromValue = null;
    }
    if (fromValue != null && usesExpansion(fromValue)) {
      throw new ConversionError("variable expansion is not supported for --from, define a new stage with FROM"
          + " using ARG from global scope as a workaround");
    }
    return new Copy(node, s.paths(), s.contents(), s.destination(), fromValue, chown.valueOrNull(),
        chmod.valueOrNull(), link.isTrue(), parents.isTrue(), exclude.values());
  }

  static Add add(SyntaxNode node) {
    arity(node, "ADD");
    BuilderFlags flags = new BuilderFlags(node.flags());
    BuilderFlags.Flag chown = flags.addString("chown", "");
    BuilderFlags.Flag chmod = flags.addString("chmod", "");
    BuilderFlags.Flag link = flags.addBool("link", false);
    BuilderFlags.Flag keepGitDir = flags.addBool("keep-git-dir", false);
    BuilderFlags.Flag checksum = flags.addString("checksum", "");
    BuilderFlags.Flag unpack = flags.addBool("unpack", false);
    BuilderFlags.Flag exclude = flags.addStrings("exclude");
    SimpleInstructions.parse(flags);
    Sources s = sources(node, "ADD");
    return new Add(node, s.paths(), s.contents(), s.destination(), chown.valueOrNull(), chmod.valueOrNull(),
        link.isTrue(), keepGitDir.isUsed() ? keepGitDir.isTrue() : null, checksum.valueOrNull(),
        unpack.isUsed() ? unpack.isTrue() : null, exclude.values());
  }

  private static void arity(SyntaxNode node, String name) {
    if (node.args().size() < 2) {
      throw new ConversionError(name + " requires at least two arguments, but only one was provided."
          + " Destination could not be determined", "give the sources, then the destination: " + name + " src /dest/");
    }
  }

  private static Sources sources(SyntaxNode node, String name) {
    List<String> args = node.args();
    String dest = args.get(args.size() - 1);
    if (!node.json() && Heredocs.parseWord(dest).isPresent()) {
      throw new ConversionError(name + " cannot accept a heredoc as a destination");
    }
    Map<String, Heredoc> byName = new HashMap<>();
    for (Heredoc h : node.heredocs()) {
      byName.put(h.name(), h);
    }
    List<String> paths = new ArrayList<>();
    List<SourceContent> contents = new ArrayList<>();
    for (String src : args.subList(0, args.size() - 1)) {
      Heredoc word = node.json() ? null : Heredocs.parseWord(src).orElse(null);
      if (word == null) {
        paths.add(src);
        continue;
      }
      Heredoc doc = byName.get(word.name());
      String content = doc == null ? "" : doc.content();
      if (word.chomp()) {
        content = Heredocs.chomp(content);
      }
      contents.add(new SourceContent(word.name(), content, word.expand()));
    }
    return new Sources(paths, contents, dest);
  }

  /** True when shell processing with an empty environment would change the word. */
  static boolean usesExpansion(String word) {
    for (int i = 0; i < word.length(); i++) {
      char c = word.charAt(i);
      if (c == '\\' || c == '\'' || c == '"' || (c == '$' && i < word.length() - 1)) {
        return true;
      }
    }
    return false;
  }
}
