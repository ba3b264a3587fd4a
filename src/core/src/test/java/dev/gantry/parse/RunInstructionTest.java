package dev.gantry.parse;

import static dev.gantry.parse.ConverterTestSupport.error;
import static dev.gantry.parse.ConverterTestSupport.one;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.ast.Heredoc;
import dev.gantry.ast.Mount;
import dev.gantry.ast.NetworkMode;
import dev.gantry.ast.Run;
import dev.gantry.ast.SecurityMode;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunInstructionTest {

  @Test
  void shellFormIsOneStringRunThroughTheShell() {
    Run run = (Run) one(Nodes.node("RUN", "apt-get update && make"));
    assertThat(run.command().args()).containsExactly("apt-get update && make");
    assertThat(run.command().prependShell()).isTrue();
    assertThat(run.network()).isEqualTo(NetworkMode.DEFAULT);
    assertThat(run.security()).isEqualTo(SecurityMode.SANDBOX);
    assertThat(run.flagsUsed()).isEmpty();
  }

  @Test
  void execFormKeepsElements() {
    Run run = (Run) one(Nodes.json("RUN", "ls", "-l"));
    assertThat(run.command().args()).containsExactly("ls", "-l");
    assertThat(run.command().prependShell()).isFalse();
  }

  @Test
  void heredocFilesAreCarriedUnchomped() {
    Heredoc doc = new Heredoc("EOF", "\techo hi\n", true, true, 0);
    Run run = (Run) one(Nodes.withHeredocs("RUN", List.of(doc), "<<-EOF"));
    assertThat(run.command().files()).containsExactly(doc);
    assertThat(run.command().args()).containsExactly("<<-EOF");
  }

  @Test
  void mountsOfEveryType() {
    Run run = (Run) one(Nodes.node("RUN", List.of(
        "--mount=type=cache,target=/root/.cache,id=go,sharing=locked,mode=0755,uid=1000,gid=1000",
        "--mount=type=bind,source=src,dst=/src,from=build,rw",
        "--mount=type=tmpfs,destination=/tmp,size=64m",
        "--mount=type=secret,id=token,env=TOKEN,required",
        "--mount=type=ssh,id=default,required=false",
        "--network=none", "--security=insecure", "--device=vendor.com/gpu=0,required"), "make"));
    assertThat(run.mounts()).hasSize(5);
    Mount.Cache cache = (Mount.Cache) run.mounts().get(0);
    assertThat(cache.target()).isEqualTo("/root/.cache");
    assertThat(cache.sharing()).isEqualTo(Mount.Sharing.LOCKED);
    assertThat(cache.mode()).isEqualTo(0755L);
    assertThat(cache.uid()).isEqualTo(1000L);
    assertThat(cache.readOnly()).isFalse();
    Mount.Bind bind = (Mount.Bind) run.mounts().get(1);
    assertThat(bind.source()).isEqualTo("src");
    assertThat(bind.from()).isEqualTo("build");
    assertThat(bind.readOnly()).isFalse();
    assertThat(((Mount.Tmpfs) run.mounts().get(2)).sizeBytes()).isEqualTo(64L << 20);
    Mount.Secret secret = (Mount.Secret) run.mounts().get(3);
    assertThat(secret.env()).isEqualTo("TOKEN");
    assertThat(secret.required()).isTrue();
    assertThat(secret.readOnly()).isTrue();
    assertThat(((Mount.Ssh) run.mounts().get(4)).required()).isFalse();
    assertThat(run.network()).isEqualTo(NetworkMode.NONE);
    assertThat(run.security()).isEqualTo(SecurityMode.INSECURE);
    assertThat(run.devices()).singleElement().satisfies(d -> {
      assertThat(d.name()).isEqualTo("vendor.com/gpu=0");
      assertThat(d.required()).isTrue();
    });
    assertThat(run.flagsUsed()).containsExactly("device", "mount", "network", "security");
  }

  @Test
  void bindMountIsReadOnlyByDefault() {
    Run run = (Run) one(Nodes.node("RUN", List.of("--mount=target=/x"), "true"));
    assertThat(run.mounts()).singleElement().isInstanceOf(Mount.Bind.class)
        .extracting(Mount::readOnly).isEqualTo(true);
  }

  @Test
  void mountErrorsUseBuildKitWording() {
    assertThat(error(Nodes.node("RUN", List.of("--mount=typ=tmpfs"), "true")))
        .isEqualTo("unexpected key 'typ' in 'typ=tmpfs' (did you mean type?)");
    assertThat(error(Nodes.node("RUN", List.of("--mount=type=tmp"), "true")))
        .isEqualTo("unsupported mount type \"tmp\" (did you mean tmpfs?)");
    assertThat(error(Nodes.node("RUN", List.of("--mount=type=bind,mode=0700,target=/x"), "true")))
        .isEqualTo("mode not allowed for \"bind\" type mounts");
    assertThat(error(Nodes.node("RUN", List.of("--mount=type=secret"), "true")))
        .isEqualTo("invalid secret mount. one of source, target required");
    assertThat(error(Nodes.node("RUN", List.of("--mount=type=secret,id=a,source=b"), "true")))
        .isEqualTo("both source and id can't be set");
    assertThat(error(Nodes.node("RUN", List.of("--mount=type=tmpfs,target=/t,sharing=locked"), "true")))
        .isEqualTo("invalid cache sharing set for tmpfs mount");
    assertThat(error(Nodes.node("RUN", List.of("--mount=type=cache,target=/t,sharing=lock"), "true")))
        .isEqualTo("unsupported sharing value \"lock\" (did you mean locked?)");
    assertThat(error(Nodes.node("RUN", List.of("--mount=type=bind,required"), "true")))
        .isEqualTo("unexpected key 'required' for mount type 'bind'");
    assertThat(error(Nodes.node("RUN", List.of("--mount=type=cache,size=1g"), "true")))
        .isEqualTo("unexpected key 'size' for mount type 'cache'");
    assertThat(error(Nodes.node("RUN", List.of("--mount=type=cache,uid=x"), "true")))
        .isEqualTo("invalid value x for uid");
    assertThat(error(Nodes.node("RUN", List.of("--mount=type=cache,ro=maybe"), "true")))
        .isEqualTo("invalid value for ro: maybe");
    assertThat(error(Nodes.node("RUN", List.of("--mount=bind-propagation=rshared"), "true")))
        .startsWith("unexpected key 'bind-propagation'");
    assertThat(error(Nodes.node("RUN", List.of("--mount=from=$x,type=cache,target=/t"), "true")))
        .isEqualTo("'from' doesn't support variable expansion, define alias stage instead");
  }

  @Test
  void mountValuesWithVariablesAreCheckedLater() {
    Run run = (Run) one(Nodes.node("RUN", List.of("--mount=type=cache,target=/c,uid=$UID"), "true"));
    Mount.Cache cache = (Mount.Cache) run.mounts().get(0);
    assertThat(cache.uid()).isNull();
    assertThat(cache.options()).containsEntry("uid", "$UID");
    assertThat(run.expandable()).contains("$UID", "/c");
  }

  @Test
  void networkSecurityAndFlagErrors() {
    assertThat(error(Nodes.node("RUN", List.of("--network=bridge"), "true")))
        .isEqualTo("invalid network mode \"bridge\"");
    assertThat(error(Nodes.node("RUN", List.of("--security=privileged"), "true")))
        .isEqualTo("security \"privileged\" is not valid");
    assertThat(error(Nodes.node("RUN", List.of("--mont=type=tmpfs"), "true")))
        .isEqualTo("unknown flag: --mont (did you mean mount?)");
    assertThat(error(Nodes.node("RUN", List.of("--network=host", "--network=none"), "true")))
        .isEqualTo("duplicate flag specified: --network");
    assertThat(error(Nodes.node("RUN", List.of("--device=a,name=b"), "true")))
        .isEqualTo("device name already set to a");
  }
}
