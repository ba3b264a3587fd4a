package dev.gantry.parse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.ast.Diagnostic;
import dev.gantry.ast.Directive;
import dev.gantry.ast.DockerfileException;
import dev.gantry.ast.Heredoc;
import dev.gantry.ast.SyntaxNode;
import dev.gantry.ast.SyntaxTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs one record of {@code parser-cases.jsonl}; returns null when it passes, else what differs. */
final class ParserCases {
  private ParserCases() {}

  static String check(JsonNode c, Path root) {
    return switch (c.get("kind").asText()) {
      case "parseWords" -> same(Words.split(c.get("input").asText(), c.get("escapeToken").asText().charAt(0)),
          strings(c.get("expectedWords")));
      case "heredocExtraction", "heredocJSONForm" -> heredocs(c);
      case "heredocWord" -> heredocWord(c);
      case "heredocsFromLine" -> same(Heredocs.fromLine(c.get("line").asText()).stream().map(Heredoc::name).toList(),
          strings(c.get("expectedNames")));
      case "chompHeredocContent" -> same(Heredocs.chomp(c.get("input").asText()), c.get("expected").asText());
      case "jsonArray" -> jsonArray(c);
      case "nameVal" -> nameVal(c);
      case "lineNumbers" -> lineNumbers(c, root);
      case "emptyContinuationWarnings" -> warnings(c);
      case "maxLineLength" -> maxLine(c);
      case "directivesParseAll" -> directives(c);
      case "detectSyntax" -> found(c, DirectiveScanner.detectSyntax(c.get("input").asText()), "ref");
      case "parseDirectiveCheck" -> found(c, DirectiveScanner.parseDirective("check", c.get("input").asText()), "value");
      default -> "unknown kind";
    };
  }

  private static SyntaxTree parse(String text) {
    return SyntaxParser.parse("Dockerfile", text.getBytes(StandardCharsets.UTF_8));
  }

  private static String same(Object actual, Object expected) {
    return actual.equals(expected) ? null : "expected " + expected + " but got " + actual;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static String heredocs(JsonNode c) {
    SyntaxTree tree = parse(c.get("dockerfile").asText());
    Iterator<Map.Entry<String, JsonNode>> it = c.get("expectedHeredocsByChild").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      int index = Integer.parseInt(e.getKey());
      List<Heredoc> expected = new ArrayList<>();
      for (JsonNode h : e.getValue()) {
        expected.add(new Heredoc(h.get("name").asText(), h.get("content").asText(), h.get("expand").asBoolean(),
            h.get("chomp").asBoolean(), h.get("fileDescriptor").asInt()));
      }
      if (index >= tree.children().size()) {
        return "child " + index + " missing";
      }
      String diff = same(tree.children().get(index).heredocs(), expected);
      if (diff != null) {
        return "child " + index + ": " + diff;
      }
    }
    return null;
  }

  private static String heredocWord(JsonNode c) {
    String expected = c.get("expected").asText();
    Optional<Heredoc> h;
    try {
      h = Heredocs.parseWord(c.get("input").asText());
    } catch (IllegalArgumentException e) {
      return expected.equals("error") ? null : "unexpected error " + e.getMessage();
    }
    return switch (expected) {
      case "heredoc" -> h.isPresent() ? same(h.get().name(), c.get("expectedName").asText()) : "not a heredoc";
      case "notHeredoc" -> h.isEmpty() ? null : "unexpected heredoc " + h.get();
      default -> "expected an error, got " + h;
    };
  }

  private static String jsonArray(JsonNode c) {
    JsonForm.Result r = JsonForm.parse(c.get("input").asText());
    if (c.get("expected").isTextual()) {
      return r.kind() == JsonForm.Kind.NOT_STRINGS ? null : "expected an error, got " + r;
    }
    return r.kind() == JsonForm.Kind.STRINGS ? same(r.values(), strings(c.get("expected"))) : "got " + r;
  }

  private static String nameVal(JsonNode c) {
    try {
      List<String> values = NameValues.parse(c.get("instruction").asText(), c.get("rest").asText(), '\\');
      return c.has("expectedNodeValues") ? same(values, strings(c.get("expectedNodeValues"))) : "no error: " + values;
    } catch (IllegalArgumentException e) {
      if (c.has("error") && !e.getMessage().contains(c.get("error").asText())) {
        return "message " + e.getMessage();
      }
      return c.has("expectedNodeValues") ? "unexpected error " + e.getMessage() : null;
    }
  }

  private static String lineNumbers(JsonNode c, Path root) {
    SyntaxTree tree;
    try {
      tree = SyntaxParser.parse("Dockerfile", Files.readAllBytes(root.resolve(c.get("file").asText())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<SyntaxNode> ch = tree.children();
    List<List<Integer>> actual = ch.stream().map(n -> List.of(n.range().startLine(), n.range().endLine())).toList();
    List<List<Integer>> expected = new ArrayList<>();
    c.get("expectedChildren").forEach(p -> expected.add(List.of(p.get(0).asInt(), p.get(1).asInt())));
    List<Integer> rootRange = List.of(ch.get(0).range().startLine(), ch.get(ch.size() - 1).range().endLine());
    String d = same(rootRange, List.of(c.get("expectedRoot").get(0).asInt(), c.get("expectedRoot").get(1).asInt()));
    return d != null ? d : same(actual, expected);
  }

  private static String warnings(JsonNode c) {
    List<Diagnostic> w = parse(c.get("dockerfile").asText()).warnings();
    if (w.size() != c.get("expectedWarningCount").asInt()) {
      return "warning count " + w.size() + ": " + w;
    }
    JsonNode shorts = c.get("expectedWarningShortContains");
    for (int i = 0; i < shorts.size(); i++) {
      for (JsonNode part : shorts.get(i)) {
        if (!w.get(i).message().contains(part.asText())) {
          return "warning " + i + " lacks " + part.asText() + ": " + w.get(i).message();
        }
      }
    }
    String detail = c.get("expectedFirstWarningDetailContains").asText();
    return w.get(0).hint().contains(detail) ? null : "detail " + w.get(0).hint();
  }

  private static String maxLine(JsonNode c) {
    String label = c.get("label").get("repeat").asText().repeat(c.get("label").get("count").asInt());
    String text = c.get("dockerfileTemplate").asText().replace("%LABEL%", label);
    try {
      parse(text);
      return "no error";
    } catch (DockerfileException e) {
      return e.getMessage().contains(c.get("error").asText()) ? null : "message " + e.getMessage();
    }
  }

  private static String directives(JsonNode c) {
    List<Directive> ds = DirectiveScanner.parseAll(c.get("input").asText());
    List<List<String>> actual = ds.stream().map(d -> List.of(d.name(), d.value())).toList();
    List<List<String>> expected = new ArrayList<>();
    c.get("expected").forEach(d -> expected.add(List.of(d.get("name").asText(), d.get("value").asText())));
    return same(actual, expected);
  }

  private static String found(JsonNode c, Optional<DirectiveScanner.Found> f, String refField) {
    boolean expectFound = c.get("found").asBoolean();
    if (f.isPresent() != expectFound) {
      return "found=" + f;
    }
    if (!expectFound) {
      return null;
    }
    if (c.has(refField) && !f.get().ref().equals(c.get(refField).asText())) {
      return "ref " + f.get();
    }
    if (c.has("cmdline") && !f.get().cmdline().equals(c.get("cmdline").asText())) {
      return "cmdline " + f.get();
    }
    if (c.has("line") && f.get().line() != c.get("line").asInt()) {
      return "line " + f.get();
    }
    return null;
  }
}
