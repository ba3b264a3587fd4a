package dev.gantry.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Pattern details beyond the conformance records: BuildKit's shortcuts, pruning, Clean. */
class IgnoreMatcherTest {
  private static boolean ignored(String path, String... patterns) {
    return IgnoreMatcher.of(List.of(patterns)).matches(path);
  }

  @Test
  void patternsAreTrimmedAndCleanedBeforeUse() {
    IgnoreMatcher m = IgnoreMatcher.of(List.of("  ./a//b/../c/  ", "!x/./y"));

    assertThat(m.patterns()).extracting(IgnorePattern::toString).containsExactly("a/c", "!x/y");
    assertThat(m.matches("a/c/file")).isTrue();
    assertThat(m.matches("./a/c")).as("the path is cleaned too").isTrue();
    assertThat(m.matches(".")).as("the root is never ignored").isFalse();
  }

  @Test
  void kindsFollowTheReferenceShortcuts() {
    assertThat(IgnorePattern.parse("a/b").kind()).isEqualTo(IgnorePattern.Kind.EXACT);
    assertThat(IgnorePattern.parse("a/**").kind()).isEqualTo(IgnorePattern.Kind.PREFIX);
    assertThat(IgnorePattern.parse("**/b").kind()).isEqualTo(IgnorePattern.Kind.SUFFIX);
    assertThat(IgnorePattern.parse("a/*.go").regexp()).contains("^a/[^/]*\\.go$");
    // the suffix shortcut: "**file" is a plain suffix, so it also matches "myfile"
    assertThat(ignored("dir/myfile", "**file")).isTrue();
    // "**/x" only matches whole elements
    assertThat(ignored("dir/ax", "**/x")).isFalse();
    assertThat(ignored("x", "**/x")).isTrue();
    // a prefix pattern is a plain prefix, element boundary or not
    assertThat(ignored("distribution", "dist**")).isTrue();
  }

  @Test
  void regularExpressionCharactersAreLiteral() {
    assertThat(ignored("a+b(c)|d.e$", "a+b(c)|d.e$")).isTrue();
    assertThat(ignored("a+b(c)|d.e$x", "a+b(c)|d.e$*")).isTrue();
    assertThat(ignored("aXb", "a.b*")).isFalse();
    assertThat(ignored("a&&b", "a[&]&b")).isTrue();
    assertThat(ignored("a[b", "a[[]b")).isTrue();
    assertThat(ignored("a\nb", "a?b")).isTrue();
    assertThat(ignored("üñï", "?ñ[ä-ü]")).isTrue();
    assertThat(ignored("😀.txt", "?.txt")).isTrue();
  }

  @Test
  void aPatternThatCannotBeCompiledFailsEveryTimeItIsUsed() {
    IgnoreMatcher m = IgnoreMatcher.of(List.of("[z-a]x"));

    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> m.matches("zx")).isInstanceOf(IgnorePatternException.class)
          .extracting(e -> ((IgnorePatternException) e).pattern()).isEqualTo("[z-a]x");
    }
  }

  @Test
  void invalidSyntaxIsRefusedWhenTheMatcherIsBuilt() {
    assertThatThrownBy(() -> IgnoreMatcher.of(List.of("ok", "a[")))
        .isInstanceOf(IgnorePatternException.class)
        .hasMessage("syntax error in pattern: \"a[\"");
    assertThatThrownBy(() -> IgnoreMatcher.of(List.of("  !  ")))
        .hasMessage("illegal exclusion pattern: \"!\"");
  }

  @Test
  void walkResultsOfParentsAgreeWithMatchingWholePaths() {
    IgnoreMatcher m = IgnoreMatcher.of(List.of("docs", "!docs/keep", "**/*.tmp", "!**/k.tmp"));
    String[] paths = {"docs", "docs/keep", "docs/keep/a.tmp", "docs/keep/k.tmp", "docs/other",
        "src", "src/k.tmp", "src/x.tmp"};
    IgnoreMatcher.Result docs = m.match("docs", IgnoreMatcher.Result.UNKNOWN);
    IgnoreMatcher.Result keep = m.match("docs/keep", docs);
    IgnoreMatcher.Result src = m.match("src", IgnoreMatcher.Result.UNKNOWN);
    IgnoreMatcher.Result[] viaParents = {docs, keep, m.match("docs/keep/a.tmp", keep),
        m.match("docs/keep/k.tmp", keep), m.match("docs/other", docs), src,
        m.match("src/k.tmp", src), m.match("src/x.tmp", src)};

    for (int i = 0; i < paths.length; i++) {
      assertThat(viaParents[i].ignored()).as(paths[i]).isEqualTo(m.matches(paths[i]));
    }
    assertThat(m.matches("docs/keep/a.tmp")).isTrue();
    assertThat(m.matches("docs/keep/k.tmp")).isFalse();
  }

  @Test
  void excludedDirectoriesArePrunedOnlyWhenNoExceptionCanReachInside() {
    IgnoreMatcher plain = IgnoreMatcher.of(List.of("node_modules", "build"));
    assertThat(plain.mayReincludeUnder("node_modules")).isFalse();

    IgnoreMatcher prefix = IgnoreMatcher.of(List.of("node_modules", "!node_modules/keep/**"));
    assertThat(prefix.mayReincludeUnder("node_modules")).isTrue();
    assertThat(prefix.mayReincludeUnder("node_modules/keep")).isTrue();
    assertThat(prefix.mayReincludeUnder("node_modules/other")).isFalse();
    assertThat(prefix.mayReincludeUnder("build")).isFalse();

    IgnoreMatcher glob = IgnoreMatcher.of(List.of("*", "!**/*.go"));
    assertThat(glob.mayReincludeUnder("anything")).isTrue();
    IgnoreMatcher trailing = IgnoreMatcher.of(List.of("*", "!src/*"));
    assertThat(trailing.mayReincludeUnder("src")).isTrue();
    assertThat(trailing.mayReincludeUnder("other")).isFalse();
  }

  @Test
  void goFilepathCleanSemantics() {
    assertThat(GoPaths.clean("")).isEqualTo(".");
    assertThat(GoPaths.clean("/../a")).isEqualTo("/a");
    assertThat(GoPaths.clean("a/../../b")).isEqualTo("../b");
    assertThat(GoPaths.clean("//a//b/./")).isEqualTo("/a/b");
    assertThat(GoPaths.dir("a/b/")).isEqualTo("a/b");
    assertThat(GoPaths.dir("a")).isEqualTo(".");
    assertThat(GoPaths.trimSpace("\u00a0 x\u3000")).isEqualTo("x");
  }

  @Test
  void goMatchSemantics() {
    assertThat(GoGlob.match("a*", "ab/c")).isFalse();
    assertThat(GoGlob.match("a*/b", "abc/b")).isTrue();
    assertThat(GoGlob.match("[^a-c]?", "d/")).isFalse();
    assertThat(GoGlob.match("\\*", "*")).isTrue();
    assertThatThrownBy(() -> GoGlob.match("x*[", "y")).isInstanceOf(IgnorePatternException.class);
  }
}
