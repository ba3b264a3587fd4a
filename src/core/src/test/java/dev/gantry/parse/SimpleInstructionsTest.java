package dev.gantry.parse;

import static dev.gantry.parse.ConverterTestSupport.error;
import static dev.gantry.parse.ConverterTestSupport.one;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.ast.Arg;
import dev.gantry.ast.Cmd;
import dev.gantry.ast.Entrypoint;
import dev.gantry.ast.Env;
import dev.gantry.ast.Expose;
import dev.gantry.ast.KeyValue;
import dev.gantry.ast.Label;
import dev.gantry.ast.Maintainer;
import dev.gantry.ast.Shell;
import dev.gantry.ast.StopSignal;
import dev.gantry.ast.User;
import dev.gantry.ast.Volume;
import dev.gantry.ast.Workdir;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimpleInstructionsTest {

  @Test
  void envAndLabelPairsStayUnexpanded() {
    Env env = (Env) one(Nodes.node("ENV", "A", "\"$B c\"", "=", "LEGACY", "x y", ""));
    assertThat(env.pairs()).containsExactly(new KeyValue("A", "\"$B c\"", false), new KeyValue("LEGACY", "x y", true));
    assertThat(env.expandable()).containsExactly("A", "\"$B c\"", "LEGACY", "x y");
    Label label = (Label) one(Nodes.node("LABEL", "org.a", "1", "="));
    assertThat(label.pairs()).containsExactly(new KeyValue("org.a", "1", false));
    assertThat(error(Nodes.node("ENV"))).isEqualTo("ENV requires at least one argument");
    assertThat(error(Nodes.node("LABEL", "", "v", "="))).isEqualTo("LABEL names can not be blank");
  }

  @Test
  void argDefinitions() {
    Arg arg = (Arg) one(Nodes.node("ARG", "A", "B=1", "C="));
    assertThat(arg.args()).extracting(a -> a.key() + "|" + a.defaultValue())
        .containsExactly("A|null", "B|1", "C|");
    assertThat(error(Nodes.node("ARG", "=x"))).isEqualTo("ARG names can not be blank");
    assertThat(error(Nodes.node("ARG"))).isEqualTo("ARG requires at least one argument");
  }

  @Test
  void singleValueInstructions() {
    assertThat(((User) one(Nodes.node("USER", "app:app"))).user()).isEqualTo("app:app");
    assertThat(((Workdir) one(Nodes.node("WORKDIR", "/src"))).path()).isEqualTo("/src");
    assertThat(((StopSignal) one(Nodes.node("STOPSIGNAL", "SIGTERM"))).signal()).isEqualTo("SIGTERM");
    assertThat(((Maintainer) one(Nodes.node("MAINTAINER", "me"))).maintainer()).isEqualTo("me");
    assertThat(error(Nodes.node("WORKDIR"))).isEqualTo("WORKDIR requires exactly one argument");
    assertThat(error(Nodes.node("USER", List.of("--x"), "a"))).isEqualTo("unknown flag: --x");
  }

  @Test
  void exposeSortsAndVolumeTrims() {
    assertThat(((Expose) one(Nodes.node("EXPOSE", "8080", "443/tcp"))).ports()).containsExactly("443/tcp", "8080");
    assertThat(((Volume) one(Nodes.json("VOLUME", " /data ", "/logs"))).paths()).containsExactly("/data", "/logs");
    assertThat(error(Nodes.json("VOLUME", " "))).isEqualTo("VOLUME specified can not be an empty string");
  }

  @Test
  void commandsAndShell() {
    Cmd cmd = (Cmd) one(Nodes.node("CMD", "echo hi"));
    assertThat(cmd.command().args()).containsExactly("echo hi");
    assertThat(cmd.command().prependShell()).isTrue();
    Entrypoint ep = (Entrypoint) one(Nodes.json("ENTRYPOINT"));
    assertThat(ep.command().isEmpty()).isTrue();
    assertThat(((Shell) one(Nodes.json("SHELL", "/bin/bash", "-c"))).shell()).containsExactly("/bin/bash", "-c");
    assertThat(error(Nodes.node("SHELL", "/bin/bash -c"))).isEqualTo("SHELL requires the arguments to be in JSON form");
    assertThat(error(Nodes.json("SHELL"))).isEqualTo("SHELL requires at least one argument");
  }
}
