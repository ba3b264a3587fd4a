package dev.gantry.builder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.oracle.ImageSnapshot;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code COPY <<EOF}: inline files, checked against expected snapshots (buildah 1.28 has no
 * heredocs). A heredoc is a file named after its delimiter with mode 0644 (or {@code --chmod}),
 * holding the body with its final newline; {@code <<-} strips leading tabs; an unquoted delimiter
 * expands ARG and ENV values in the body, a quoted one keeps it literally.
 */
class HeredocCopyTest {
  @TempDir Path work;
  BuildFixture fx;

  @BeforeEach
  void setUp() throws IOException {
    fx = new BuildFixture(work);
  }

  private static String file(String mode, String content) {
    return "file " + mode + " 0:0 " + BuildFixture.sha16(content);
  }

  @Test
  void aHeredocBecomesTheDestinationFile() throws Exception {
    fx.dockerfile("FROM scratch\nCOPY <<EOF /file\nhello\nworld\nEOF\n");
    assertThat(BuildFixture.files(fx.build())).isEqualTo("/file  " + file("00644", "hello\nworld\n") + "\n");
  }

  @Test
  void intoADirectoryTheFileIsNamedAfterTheDelimiter() throws Exception {
    fx.dockerfile("FROM scratch\nCOPY <<app.conf /etc/app/\nkey=value\napp.conf\n");
    assertThat(BuildFixture.files(fx.build())).isEqualTo("/etc  dir 00755 0:0\n/etc/app  dir 00755 0:0\n"
        + "/etc/app/app.conf  " + file("00644", "key=value\n") + "\n");
  }

  @Test
  void twoHeredocsInOneCopy() throws Exception {
    fx.dockerfile("FROM scratch\nCOPY <<one <<two /dir/\nfirst\none\nsecond\ntwo\n");
    ImageSnapshot img = fx.build();
    assertThat(BuildFixture.files(img)).isEqualTo("/dir  dir 00755 0:0\n/dir/one  " + file("00644", "first\n")
        + "\n/dir/two  " + file("00644", "second\n") + "\n");
  }

  @Test
  void dashHeredocStripsLeadingTabs() throws Exception {
    fx.dockerfile("FROM scratch\nCOPY <<-EOF /t\n\t\tindented\n\tline\n  spaces stay\n\tEOF\n");
    assertThat(fx.build().files()).containsEntry("t", file("00644", "indented\nline\n  spaces stay\n"));
  }

  @Test
  void unquotedDelimiterExpandsArgAndEnvQuotedKeepsThemLiterally() throws Exception {
    fx.dockerfile("FROM scratch\nARG NAME=world\nENV GREETING=hello\n"
        + "COPY <<EOF /expanded\n$GREETING ${NAME}!\nEOF\n"
        + "COPY <<\"EOF\" /double\n$GREETING ${NAME}!\nEOF\n"
        + "COPY <<'EOF' /single\n$GREETING ${NAME}!\nEOF\n");
    ImageSnapshot img = fx.build(r -> r.buildArg("NAME", "gantry"));
    assertThat(img.files()).containsEntry("expanded", file("00644", "hello gantry!\n"))
        .containsEntry("double", file("00644", "$GREETING ${NAME}!\n"))
        .containsEntry("single", file("00644", "$GREETING ${NAME}!\n"));
  }

  @Test
  void chmodAppliesToTheHeredocFile() throws Exception {
    fx.dockerfile("FROM scratch\nCOPY --chmod=0755 <<EOF /x.sh\n#!/bin/sh\necho hi\nEOF\n");
    assertThat(BuildFixture.files(fx.build())).isEqualTo("/x.sh  " + file("00755", "#!/bin/sh\necho hi\n") + "\n");
  }

  @Test
  void chownAndAFileSourceMixWithAHeredoc() throws Exception {
    fx.dockerfile("FROM scratch\nCOPY --chown=5:6 real.txt <<inline.txt /d/\nfrom heredoc\ninline.txt\n")
        .write("real.txt", "from context");
    assertThat(fx.build().files()).containsEntry("d", "dir 00755 5:6")
        .containsEntry("d/real.txt", "file 00644 5:6 " + BuildFixture.sha16("from context"))
        .containsEntry("d/inline.txt", "file 00644 5:6 " + BuildFixture.sha16("from heredoc\n"));
  }
}
