package dev.gantry.expand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link Env} factories and the small value types around {@link ShellLexer}. */
class EnvTest {

  @Test
  void fromListCutsAtFirstEqualsAndLastEntryWins() {
    Env env = Env.fromList(List.of("A=1", "B", "C=", "D=x=y", "A=2"));
    assertThat(env.lookup("A")).contains("2");
    assertThat(env.lookup("B")).contains("");
    assertThat(env.lookup("C")).contains("");
    assertThat(env.lookup("D")).contains("x=y");
    assertThat(env.lookup("E")).isEmpty();
    assertThat(env.lookup("a")).as("names are case-sensitive").isEmpty();
    assertThat(env.names()).containsExactly("B", "C", "D", "A");
  }

  @Test
  void ofCopiesTheMap() {
    Map<String, String> source = new HashMap<>(Map.of("X", "1"));
    Env env = Env.of(source);
    source.put("X", "2");
    source.put("Y", "3");
    assertThat(env.lookup("X")).contains("1");
    assertThat(env.lookup("Y")).isEmpty();
    assertThat(Env.empty().lookup("X")).isEmpty();
  }

  @Test
  void aLambdaIsAnEnv() {
    Env env = name -> name.startsWith("K") ? Optional.of(name.toLowerCase()) : Optional.empty();
    Expansion e = ShellLexer.standard().processWord("$KEY-$OTHER", env);
    assertThat(e.value()).isEqualTo("key-");
    assertThat(e.matched()).containsExactly("KEY");
    assertThat(e.unmatched()).containsExactly("OTHER");
  }

  @Test
  void onlyBackslashAndBacktickAreEscapeCharacters() {
    assertThat(ShellLexer.withEscape('`').escape()).isEqualTo('`');
    assertThat(ShellLexer.withEscape('\\')).isSameAs(ShellLexer.standard());
    assertThatThrownBy(() -> ShellLexer.withEscape('^')).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void optionsMakeNewLexers() {
    ShellLexer base = ShellLexer.withEscape('`');
    ShellLexer raw = base.rawQuotes(true).skipUnsetEnv(true);
    assertThat(base.rawQuotes()).isFalse();
    assertThat(raw.rawQuotes()).isTrue();
    assertThat(raw.skipUnsetEnv()).isTrue();
    assertThat(raw.escape()).isEqualTo('`');
    assertThat(raw.processWord("'$X'", Env.empty()).value()).isEqualTo("'$X'");
  }

  @Test
  void expansionSetsAreSortedAndImmutable() {
    Expansion e = ShellLexer.standard().processWord("$b$a${c:-$d}", Env.fromList(List.of("c=1", "a=2")));
    assertThat(e.matched()).containsExactly("a", "c");
    assertThat(e.unmatched()).containsExactly("b", "d");
    assertThatThrownBy(() -> e.matched().add("z")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> e.words().add("z")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void errorsNameTheWordAndTheReason() {
    assertThatThrownBy(() -> ShellLexer.standard().processWord("a\"${X:-}", Env.fromList(List.of("X="))))
        .isInstanceOf(ExpansionException.class)
        .hasMessage("failed to process \"a\\\"${X:-}\": unexpected end of statement while looking for"
            + " matching double-quote");
    assertThatThrownBy(() -> ShellLexer.standard().processWord("${X:?}", Env.fromList(List.of("X="))))
        .isInstanceOfSatisfying(ExpansionException.class, e -> {
          assertThat(e.reason()).isEqualTo("X: is not allowed to be empty");
          assertThat(e.word()).isEqualTo("${X:?}");
        });
  }

  @Test
  void aLeadingByteOrderMarkIsIgnored() {
    assertThat(ShellLexer.standard().processWord("\uFEFFab\uFEFF", Env.empty()).value())
        .isEqualTo("ab\uFEFF");
  }
}
