package dev.gantry.parse;

import static dev.gantry.parse.ConverterTestSupport.error;
import static dev.gantry.parse.ConverterTestSupport.one;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.ast.Add;
import dev.gantry.ast.Copy;
import dev.gantry.ast.Heredoc;
import dev.gantry.ast.SourceContent;
import java.util.List;
import org.junit.jupiter.api.Test;

class CopyInstructionsTest {

  @Test
  void copyWithEveryFlag() {
    Copy c = (Copy) one(Nodes.node("COPY", List.of("--from=build", "--chown=1:1", "--chmod=644", "--link",
        "--parents", "--exclude=*.md", "--exclude=tmp"), "a", "b", "/dst/"));
    assertThat(c.sources()).containsExactly("a", "b");
    assertThat(c.destination()).isEqualTo("/dst/");
    assertThat(c.from()).isEqualTo("build");
    assertThat(c.chown()).isEqualTo("1:1");
    assertThat(c.chmod()).isEqualTo("644");
    assertThat(c.link()).isTrue();
    assertThat(c.parents()).isTrue();
    assertThat(c.excludes()).containsExactly("*.md", "tmp");
    assertThat(c.expandable()).containsExactly("1:1", "644", "a", "b", "/dst/", "*.md", "tmp");
  }

  @Test
  void addOnlyFlags() {
    Add a = (Add) one(Nodes.node("ADD", List.of("--checksum=sha256:abc", "--keep-git-dir", "--unpack=false"),
        "https://example.com/x.tar", "/x"));
    assertThat(a.checksum()).isEqualTo("sha256:abc");
    assertThat(a.keepGitDir()).isTrue();
    assertThat(a.unpack()).isFalse();
    Add plain = (Add) one(Nodes.node("ADD", "x.tar", "/x"));
    assertThat(plain.unpack()).isNull();
    assertThat(plain.keepGitDir()).isNull();
  }

  @Test
  void addOnlyFlagsAreRejectedOnCopy() {
    assertThat(error(Nodes.node("COPY", List.of("--checksum=sha256:abc"), "a", "/b")))
        .isEqualTo("unknown flag: --checksum");
    assertThat(error(Nodes.node("COPY", List.of("--unpack"), "a", "/b"))).startsWith("unknown flag: --unpack");
    assertThat(error(Nodes.node("ADD", List.of("--from=x"), "a", "/b"))).startsWith("unknown flag: --from");
    assertThat(error(Nodes.node("COPY", List.of("--chmod"), "a", "/b")))
        .isEqualTo("missing a value on flag: --chmod");
    assertThat(error(Nodes.node("COPY", List.of("--link=maybe"), "a", "/b")))
        .isEqualTo("expecting boolean value for flag --link, not: maybe");
  }

  @Test
  void heredocSourcesAreInlineContents() {
    Heredoc one = new Heredoc("EOF", "\thello\n", true, true, 0);
    Heredoc two = new Heredoc("END", "$x\n", false, false, 0);
    Copy c = (Copy) one(Nodes.withHeredocs("COPY", List.of(one, two), "<<-EOF", "file", "<<'END'", "/dst"));
    assertThat(c.sources()).containsExactly("file");
    assertThat(c.contents()).containsExactly(new SourceContent("EOF", "hello\n", true),
        new SourceContent("END", "$x\n", false));
  }

  @Test
  void arityUrlHeredocDestinationAndFromVariables() {
    assertThat(error(Nodes.node("COPY", "only")))
        .isEqualTo("COPY requires at least two arguments, but only one was provided. Destination could not be determined");
    assertThat(error(Nodes.node("COPY", "https://example.com/a", "/a")))
        .isEqualTo("source can't be a URL for COPY");
    assertThat(error(Nodes.withHeredocs("COPY", List.of(new Heredoc("EOF", "", true, false, 0)), "/foo", "<<EOF")))
        .isEqualTo("COPY cannot accept a heredoc as a destination");
    assertThat(error(Nodes.node("COPY", List.of("--from=$stage"), "a", "/b")))
        .startsWith("variable expansion is not supported for --from");
  }
}
