package dev.gantry.expand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Matching semantics of {@link ShellPattern} and the replacement template. */
class ShellPatternTest {

  @Test
  void greedyAndLazyPrefixes() {
    ShellPattern p = ShellPattern.compile("*x*y");
    assertThat(p.trimPrefix("axbyxy!", false)).isEqualTo("xy!");
    assertThat(p.trimPrefix("axbyxy!", true)).isEqualTo("!");
    assertThat(p.trimPrefix("nothing", true)).isEqualTo("nothing");
  }

  @Test
  void wildcardsDoNotMatchNewlines() {
    assertThat(ShellPattern.compile("*").trimPrefix("ab\ncd", true)).isEqualTo("\ncd");
    assertThat(ShellPattern.compile("?").trimPrefix("\nx", true)).isEqualTo("\nx");
    assertThat(ShellPattern.compile("*\n").trimPrefix("ab\ncd", true)).isEqualTo("cd");
  }

  @Test
  void escapes() {
    assertThat(ShellPattern.compile("\\*\\?\\\\\\}\\/").toRegex(true, true)).isEqualTo("^\\*\\?\\\\\\}/");
    assertThatThrownBy(() -> ShellPattern.compile("a\\b")).isInstanceOf(Failure.class);
    assertThatThrownBy(() -> ShellPattern.compile("a\\")).isInstanceOf(Failure.class);
    assertThat(ShellPattern.compile("a*?").toRegex(false, false)).isEqualTo("a.*?.");
  }

  @Test
  void reverseKeepsEscapesAttached() {
    assertThat(ShellPattern.reverse("a\\*c")).isEqualTo("c\\*a");
    assertThat(ShellPattern.reverse("")).isEmpty();
    assertThat(ShellPattern.reverse("😀\\?x")).isEqualTo("x\\?😀");
  }

  @Test
  void replaceFirstAndAll() {
    ShellPattern a = ShellPattern.compile("a");
    assertThat(a.replace("banana", "o", false, ShellLexer.MAX_WORD_CHARS)).isEqualTo("bonana");
    assertThat(a.replace("banana", "o", true, ShellLexer.MAX_WORD_CHARS)).isEqualTo("bonono");
    assertThat(ShellPattern.compile("").replace("ab", "-", true, ShellLexer.MAX_WORD_CHARS)).isEqualTo("-a-b-");
    assertThat(ShellPattern.compile("*").replace("ab", "-", true, ShellLexer.MAX_WORD_CHARS)).as("no empty match right after a match")
        .isEqualTo("-");
    assertThat(ShellPattern.compile("*").replace("ab\ncd", "-", true, ShellLexer.MAX_WORD_CHARS)).isEqualTo("-\n-");
    assertThat(ShellPattern.compile("x*").replace("axbxxc", "-", false, ShellLexer.MAX_WORD_CHARS)).isEqualTo("a-");
  }

  @Test
  void replacingPastTheLimitFails() {
    String big = "a".repeat(1000);
    assertThatThrownBy(() -> ShellPattern.compile("?").replace(big, big, true, 100_000))
        .isInstanceOf(Failure.class).hasMessageContaining("limit of 100000 characters");
  }

  @Test
  void replacementTemplate() {
    assertThat(ReplacementTemplate.expand("<$0>", "m")).isEqualTo("<m>");
    assertThat(ReplacementTemplate.expand("${0}$00$1$name${x", "m")).isEqualTo("m${x");
    assertThat(ReplacementTemplate.expand("$$0 $ $.", "m")).isEqualTo("$0 $ $.");
    assertThat(ReplacementTemplate.expand("plain", "m")).isEqualTo("plain");
  }
}
