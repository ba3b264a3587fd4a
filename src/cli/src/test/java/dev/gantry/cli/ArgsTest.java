package dev.gantry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading arguments against a command's options and parameters. */
class ArgsTest {
  private static final Args.Spec SPEC = new Args.Spec("demo", List.of("A demo."),
      List.of(Args.Option.value("-f,--file", "PATH", "A file."),
          Args.Option.values("-t,--tag", "REF", "Tags."),
          Args.Option.flag("-q,--quiet", "Quiet."),
          Args.Option.value("--target", "STAGE", "A stage.")),
      List.of(new Args.Parameter("FIRST", "The first.", 1, 1),
          new Args.Parameter("MORE", "The rest.", 0, -1)),
      List.of(), List.of());

  @Test
  void everyValueFormIsRead() {
    Args a = Args.parse(SPEC, "-f", "a", "--file=b", "-tx", "-t=y", "--tag", "z", "--tag=", "-q",
        "--target", "--weird", "one", "two", "-", "--", "--not-an-option");

    assertThat(a.value("--file", null)).isEqualTo("b");
    assertThat(a.values("--tag")).containsExactly("x", "y", "z", "");
    assertThat(a.flag("--quiet")).isTrue();
    assertThat(a.value("--target", null)).isEqualTo("--weird");
    assertThat(a.parameter("FIRST")).isEqualTo("one");
    assertThat(a.parameters("MORE")).containsExactly("two", "-", "--not-an-option");
  }

  @Test
  void absentOptionsGiveTheirDefaults() {
    Args a = Args.parse(SPEC, "only");

    assertThat(a.value("--file", "Dockerfile")).isEqualTo("Dockerfile");
    assertThat(a.values("--tag")).isEmpty();
    assertThat(a.flag("--quiet")).isFalse();
    assertThat(a.parameters("MORE")).isEmpty();
  }

  @Test
  void badUsageIsReportedPrecisely() {
    assertThatThrownBy(() -> Args.parse(SPEC, "--fiel", "x", "p")).isInstanceOf(Args.UsageException.class)
        .hasMessage("unknown option '--fiel', did you mean '--file'?");
    assertThatThrownBy(() -> Args.parse(SPEC, "--zzzzzz", "p")).hasMessage("unknown option '--zzzzzz'");
    assertThatThrownBy(() -> Args.parse(SPEC, "p", "--target")).hasMessage("missing value for option '--target' (STAGE)");
    assertThatThrownBy(() -> Args.parse(SPEC, "--quiet=yes", "p")).hasMessage("option '--quiet' takes no value");
    assertThatThrownBy(() -> Args.parse(SPEC, "-q")).hasMessage("missing parameter FIRST");
    Args.Spec one = new Args.Spec("one", List.of("One."), List.of(),
        List.of(new Args.Parameter("FILE", "A file.", 1, 1)), List.of(), List.of());
    assertThatThrownBy(() -> Args.parse(one, "a", "b")).hasMessage("unexpected argument 'b'");
  }

  @Test
  void helpAndVersionNeedNoParameters() {
    assertThat(Args.parse(SPEC, "--help").flag("--help")).isTrue();
    assertThat(Args.parse(SPEC, "-V").flag("--version")).isTrue();
  }

  @Test
  void usageListsParametersOptionsAndTheStandardOnes() {
    assertThat(Args.usage(SPEC)).isEqualTo("""
        Usage: gantry demo [OPTIONS] FIRST [MORE...]
        A demo.

              FIRST           The first.
              MORE            The rest.
          -f, --file=PATH     A file.
          -t, --tag=REF       Tags.
          -q, --quiet         Quiet.
              --target=STAGE  A stage.
          -h, --help          Show this help and exit.
          -V, --version       Print the version and exit.
        """);
  }
}
