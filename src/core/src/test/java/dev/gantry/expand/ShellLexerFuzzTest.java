package dev.gantry.expand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and adversarial inputs: expansion either succeeds or throws {@link ExpansionException},
 * never anything else, and always finishes quickly.
 */
class ShellLexerFuzzTest {
  private static final String ALPHABET = "${}:-+?#%/'\"\\ ab";
  private static final Env ENV = Env.of(Map.of("a", "a b", "b", "", "ab", "*?\\", "x", "a\nb"));
  private static final List<ShellLexer> LEXERS = List.of(
      ShellLexer.standard(),
      ShellLexer.withEscape('`'),
      ShellLexer.standard().rawQuotes(true).rawEscapes(true),
      ShellLexer.standard().skipUnsetEnv(true).skipProcessQuotes(true));

  @Test
  void randomWordsOnlyEverThrowExpansionException() {
    Random random = new Random(20240229L);
    int[] outcomes = new int[2];
    assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      for (int i = 0; i < 20_000; i++) {
        String word = randomWord(random, 1 + random.nextInt(40));
        ShellLexer lexer = LEXERS.get(i % LEXERS.size());
        try {
          Expansion e = lexer.expand(word, ENV);
          assertThat(e.words()).doesNotContain("");
          assertThat(lexer.processWords(word, ENV)).isEqualTo(e.words());
          outcomes[0]++;
        } catch (ExpansionException e) {
          assertThat(e.getMessage()).startsWith("failed to process ").contains(e.reason());
          assertThat(e.word()).isEqualTo(word);
          outcomes[1]++;
        }
      }
    });
    // Both outcomes must be common, or the alphabet is not exercising the lexer.
    assertThat(outcomes[0]).isGreaterThan(3_000);
    assertThat(outcomes[1]).isGreaterThan(3_000);
  }

  @Test
  void textWithoutSpecialCharactersIsUnchanged() {
    Random random = new Random(7);
    for (int i = 0; i < 2_000; i++) {
      String word = randomFrom(random, "abc:-+?#%/{}é.", 1 + random.nextInt(30));
      assertThat(ShellLexer.standard().processWord(word, ENV).value()).isEqualTo(word);
    }
  }

  @Test
  void deepNestingFailsCleanly() {
    String deep = "${u:-".repeat(50_000) + "x" + "}".repeat(50_000);
    assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
        assertThatThrownBy(() -> ShellLexer.standard().expand(deep, ENV))
            .isInstanceOf(ExpansionException.class)
            .hasMessageContaining("nested too deeply"));
    String quotes = "\"${u:-".repeat(20_000);
    assertThatThrownBy(() -> ShellLexer.standard().expand(quotes, ENV))
        .isInstanceOf(ExpansionException.class);
  }

  @Test
  void moderateNestingStillWorks() {
    String nested = "${u:-".repeat(120) + "x" + "}".repeat(120);
    assertThat(ShellLexer.standard().processWord(nested, ENV).value()).isEqualTo("x");
  }

  @Test
  void patternsWithManyWildcardsOnLongValuesAreFast() {
    String value = "a".repeat(20_000) + "b";
    Env env = Env.of(Map.of("v", value));
    String stars = "*a".repeat(200) + "*c";
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      assertThat(ShellLexer.standard().processWord("${v#" + stars + "}", env).value()).isEqualTo(value);
      assertThat(ShellLexer.standard().processWord("${v%%" + stars + "}", env).value()).isEqualTo(value);
      assertThat(ShellLexer.standard().processWord("${v//" + "*a".repeat(50) + "/x}", env).value())
          .isEqualTo("xb");
      assertThat(ShellLexer.standard().processWord("${v//a/}", env).value()).isEqualTo("b");
    });
  }

  @Test
  void longInputsFinish() {
    String word = "$a ".repeat(100_000) + "'" + "x".repeat(100_000) + "'";
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      List<String> words = ShellLexer.standard().processWords(word, ENV);
      assertThat(words).hasSize(200_001);
      assertThat(words.get(words.size() - 1)).hasSize(100_000);
    });
  }

  private static String randomWord(Random random, int length) {
    return randomFrom(random, ALPHABET, length);
  }

  private static String randomFrom(Random random, String alphabet, int length) {
    List<Integer> cps = new ArrayList<>();
    alphabet.codePoints().forEach(cps::add);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      out.appendCodePoint(cps.get(random.nextInt(cps.size())));
    }
    return out.toString();
  }
}
