package dev.gantry.expand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.TestPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the golden cases of {@code testdata/expand/cases.txt} (format described in that file) with
 * the environment of {@code testdata/expand/env}.
 */
class ShellLexerGoldenTest {

  /** One parsed line of cases.txt. */
  record Case(int line, String mode, Set<String> options, String input, String expected,
      String names) {

    ShellLexer lexer() {
      ShellLexer lx = ShellLexer.withEscape(options.contains("backtick") ? '`' : '\\');
      return lx.rawQuotes(options.contains("rawquotes"))
          .rawEscapes(options.contains("rawescapes"))
          .skipProcessQuotes(options.contains("skipquotes"))
          .skipUnsetEnv(options.contains("skipunset"));
    }

    String title() {
      return "line " + line + ": " + mode + (options.isEmpty() ? "" : "+" + options) + " " + input;
    }
  }

  static Env env() throws IOException {
    List<String> entries = new ArrayList<>();
    for (String line : lines(TestPaths.testdata("expand").resolve("env"))) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        entries.add(line);
      }
    }
    return Env.fromList(entries);
  }

  static List<Case> cases() throws IOException {
    List<Case> out = new ArrayList<>();
    List<String> lines = lines(TestPaths.testdata("expand").resolve("cases.txt"));
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split(" \\| ", -1);
      assertThat(f.length).as("fields on line %d", i + 1).isBetween(3, 4);
      String[] mode = f[0].strip().split("\\+");
      Set<String> options = new TreeSet<>(Arrays.asList(mode).subList(1, mode.length));
      assertThat(options).as("options on line %d", i + 1)
          .isSubsetOf("backtick", "rawquotes", "rawescapes", "skipquotes", "skipunset");
      assertThat(mode[0]).as("mode on line %d", i + 1).isIn("word", "words");
      out.add(new Case(i + 1, mode[0], options, field(f[1]), field(f[2]),
          f.length > 3 ? f[3].strip() : null));
    }
    return out;
  }

  @TestFactory
  Stream<DynamicTest> goldenCases() throws IOException {
    Env env = env();
    List<Case> cases = cases();
    assertThat(cases).hasSizeGreaterThan(150);
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.title(), () -> run(c, env)));
  }

  @Test
  void everyOperatorIsCovered() throws IOException {
    String all = String.join("\n", cases().stream().map(Case::input).toList());
    for (String op : List.of(":-", "-", ":+", "+", ":?", "?", "#", "##", "%", "%%", "/", "//",
        ":=", "=")) {
      String regex = "\\$\\{[A-Z]+" + Pattern.quote(op) + "[^-+?#%/=:]";
      assertThat(all).as("a case uses ${x%sw}", op).containsPattern(regex);
    }
  }

  private static void run(Case c, Env env) {
    ShellLexer lexer = c.lexer();
    if (c.expected().startsWith("! ")) {
      assertThatThrownBy(() -> lexer.expand(c.input(), env))
          .isInstanceOf(ExpansionException.class)
          .satisfies(e -> assertThat(((ExpansionException) e).reason()).contains(c.expected().substring(2)))
          .satisfies(e -> assertThat(((ExpansionException) e).word()).isEqualTo(c.input()));
      return;
    }
    Expansion result = lexer.expand(c.input(), env);
    if (c.mode().equals("word")) {
      assertThat(result.value()).isEqualTo(c.expected());
    } else {
      String words = result.words().isEmpty() ? "none" : "[" + String.join("][", result.words()) + "]";
      assertThat(words).isEqualTo(c.expected());
      assertThat(lexer.processWords(c.input(), env)).isEqualTo(result.words());
    }
    if (c.names() != null) {
      Map<String, Set<String>> names = parseNames(c.names());
      assertThat(result.matched()).as("matched").isEqualTo(names.get("matched"));
      assertThat(result.unmatched()).as("unmatched").isEqualTo(names.get("unmatched"));
    }
  }

  private static Map<String, Set<String>> parseNames(String spec) {
    Map<String, Set<String>> out = new HashMap<>(Map.of("matched", Set.of(), "unmatched", Set.of()));
    for (String part : spec.split("\\s+")) {
      int eq = part.indexOf('=');
      assertThat(eq).as("names field %s", spec).isPositive();
      Set<String> set = new TreeSet<>();
      for (String n : part.substring(eq + 1).split(",")) {
        if (!n.isEmpty()) {
          set.add(n);
        }
      }
      out.put(part.substring(0, eq), set);
    }
    return out;
  }

  private static String field(String f) {
    String s = f.strip();
    return s.startsWith("⟨") && s.endsWith("⟩") ? s.substring(1, s.length() - 1) : s;
  }

  private static List<String> lines(Path file) throws IOException {
    return Arrays.asList(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n", -1));
  }
}
