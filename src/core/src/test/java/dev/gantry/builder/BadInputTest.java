package dev.gantry.builder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.oci.Digest;
import dev.gantry.oracle.BusyboxRootfs;
import dev.gantry.oracle.ImageSnapshot;
import dev.gantry.oracle.Tools;
import dev.gantry.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds that must fail, or must not read or write where they should not. Every failure is one
 * positioned line ({@code Dockerfile:LINE:COL: ...}) with a hint where one helps, and leaves no
 * half-written state: the store verifies and holds no temp files, and the requested output does not
 * exist (or, when it existed, is unchanged). {@link HostileArchiveTest} covers hostile ADD archives.
 */
class BadInputTest {
  @TempDir Path work;
  BuildFixture fx;

  @BeforeEach
  void setUp() throws IOException {
    fx = new BuildFixture(work);
  }

  @Test
  void copyOfAMissingSourceNamesThePath() throws IOException {
    fx.dockerfile("FROM scratch\nCOPY present.txt /\nCOPY conf/missing.txt /etc/\n").write("present.txt", "x");
    BuildFixture.Failure f = fx.fail(3);
    assertThat(f.message()).contains("conf/missing.txt").contains("not found");
    assertThat(f.hint()).contains("build context");
  }

  @Test
  void copyOfAMistypedSourceSuggestsTheNameThatExists() throws IOException {
    fx.dockerfile("FROM scratch\nCOPY conf/app.yml /etc/\n").write("conf/app.yaml", "x");
    fx.write("conf/other", "y");
    BuildFixture.Failure f = fx.fail(2);
    assertThat(f.message()).contains("conf/app.yml").contains("not found");
    assertThat(f.hint()).contains("build context").endsWith("(did you mean conf/app.yaml?)");
  }

  @Test
  void aPlatformListIsRefusedWhenTheRequestIsMadeNamingTheFlagAndNothingIsWritten() throws IOException {
    fx.dockerfile("FROM scratch\nENV A=1\n");
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> new dev.gantry.api.Gantry()
        .build(fx.request().platform("linux/amd64,linux/arm64").build()));
    assertThat(t).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--platform \"linux/amd64,linux/arm64\" names 2 platforms")
        .hasMessageContaining("build once per platform");
    assertThat(fx.out).doesNotExist();
    for (String bad : new String[] {"linux/amd65", "lnux/amd64", "linux/arm/v9", "linux/amd64 arm64", "linux/"}) {
      assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> new dev.gantry.api.Gantry()
          .build(fx.request().platform(bad).build()))).as(bad).hasMessageStartingWith("--platform \"" + bad + "\"");
    }
    assertThat(fx.out).doesNotExist();
    fx.assertStoreClean();
  }

  @Test
  void aFromPlatformIsValidatedAfterExpansionWithItsPosition() throws IOException {
    fx.dockerfile("ARG P=linux/x86_64,linux/aarch64\nFROM --platform=$P scratch\nENV A=1\n");
    BuildFixture.Failure f = fx.fail(2);
    assertThat(f.message()).contains("FROM --platform=\"linux/x86_64,linux/aarch64\" names 2 platforms");
    fx.dockerfile("FROM --platform=linux/sparc128 scratch\nENV A=1\n");
    assertThat(fx.fail(1).message()).contains("FROM --platform=\"linux/sparc128\" has an unknown architecture");
  }

  @Test
  void aFailedBuildLeavesAnExistingOutputUntouched() throws IOException {
    Files.createDirectories(fx.out);
    Files.writeString(fx.out.resolve("keep.txt"), "mine");
    fx.dockerfile("FROM scratch\nCOPY missing.txt /\n");
    fx.fail(2);
    assertThat(fx.out.resolve("keep.txt")).hasContent("mine");
  }

  @Test
  void copyOfAnIgnoredSourceSaysDockerignoreExcludedIt() throws IOException {
    fx.dockerfile("FROM scratch\nCOPY secret.txt /\n").write("secret.txt", "s");
    fx.write(".dockerignore", "secret.txt\n");
    BuildFixture.Failure f = fx.fail(2);
    assertThat(f.message()).contains("secret.txt");
    assertThat(f.hint()).contains("excluded by .dockerignore");
  }

  @Test
  void dotDotIsClampedAtTheContextRootAndNeverReadsBesideIt() throws IOException {
    Files.writeString(work.resolve("outside.txt"), "host file beside the context");
    fx.dockerfile("FROM scratch\nCOPY ../outside.txt /got\n");
    BuildFixture.Failure f = fx.fail(2);
    assertThat(f.message()).contains("outside.txt").contains("not found");
  }

  @Test
  void dotDotResolvesToTheFileOfThatNameInTheContextRoot() throws Exception {
    Files.writeString(work.resolve("outside.txt"), "host file beside the context");
    fx.dockerfile("FROM scratch\nCOPY ../outside.txt /got\nCOPY sub/../../../outside.txt /got2\n")
        .write("outside.txt", "inside");
    fx.write("sub/keep", "k");
    ImageSnapshot img = fx.build();
    assertThat(img.files()).containsEntry("got", "file 00644 0:0 " + BuildFixture.sha16("inside"))
        .containsEntry("got2", "file 00644 0:0 " + BuildFixture.sha16("inside"));
  }

  @Test
  void copyFromAnImageThatNeedsARegistryIsRefusedWithAHint() throws IOException {
    fx.dockerfile("FROM scratch\nCOPY --from=nosuchstage /x /x\n");
    BuildFixture.Failure f = fx.fail(2);
    assertThat(f.message()).contains("nosuchstage");
    assertThat(f.hint()).contains("--build-context nosuchstage=oci-layout://");
  }

  @Test
  void copyFromAStageIndexPastTheLastStage() throws IOException {
    fx.dockerfile("FROM scratch AS a\nCOPY f /f\n\nFROM scratch\nCOPY --from=5 /f /g\n").write("f", "x");
    BuildFixture.Failure f = fx.fail(5);
    assertThat(f.message()).contains("invalid stage index 5");
    assertThat(f.hint()).contains("numbered from 0");
  }

  @Test
  void unknownTargetListsTheStages() throws IOException {
    fx.dockerfile("FROM scratch AS one\nCOPY f /f\nFROM scratch AS two\nCOPY f /g\n").write("f", "x");
    BuildFixture.Failure f = fx.fail(1, r -> r.target("nosuch"));
    assertThat(f.message()).contains("target stage \"nosuch\" could not be found");
    assertThat(f.hint()).contains("one").contains("two");
  }

  @Test
  void chownToAnUnknownUserOnABaseWithPasswd() throws IOException {
    Tools.require(BusyboxRootfs.available(), "busybox-static is not installed (the test command installs it)");
    BusyboxRootfs.write(fx.context.resolve("base.tar"));
    fx.dockerfile("FROM scratch\nADD base.tar /\nCOPY --chown=nosuchuser f /f\n").write("f", "x");
    BuildFixture.Failure f = fx.fail(3);
    assertThat(f.message()).contains("unable to find user nosuchuser");
    assertThat(f.hint()).contains("/etc/passwd");
  }

  @Test
  void chownToAUserNameOnScratchSaysThereIsNoPasswd() throws IOException {
    fx.dockerfile("FROM scratch\nCOPY --chown=nosuchuser:staff f /f\n").write("f", "x");
    BuildFixture.Failure f = fx.fail(2);
    assertThat(f.message()).contains("unable to find user nosuchuser").contains("no /etc/passwd");
    assertThat(f.hint()).contains("numeric ids");
  }

  @Test
  void addWithAWrongChecksumFailsAndStoresNothing() throws Exception {
    byte[] body = "payload".getBytes(StandardCharsets.UTF_8);
    String wrong = "sha256:" + "0".repeat(64);
    try (FileServer http = new FileServer().serve("/file", body, Instant.ofEpochSecond(1_000_000))) {
      fx.dockerfile("FROM scratch\nADD --checksum=" + wrong + " " + http.url("/file") + " /d/\n");
      BuildFixture.Failure f = fx.fail(2);
      assertThat(f.message()).contains("checksum mismatch").contains(wrong).contains(Digest.sha256(body).toString());
      assertThat(f.message()).doesNotContain("build context");
      assertThat(Store.open(fx.store).hasBlob(Digest.sha256(body))).as("unverified download kept").isFalse();
    }
  }

  @Test
  void runWithoutAShellFailsAtItsPositionWithTheExitCodeAndOutput() throws IOException {
    Tools.require(Tools.onPath("runc"), "runc is not installed");
    fx.dockerfile("FROM scratch\nCOPY f /f\nRUN echo hi\n").write("f", "x");
    BuildFixture.Failure f = fx.fail(3);
    assertThat(f.message()).startsWith("Dockerfile:3:1: RUN echo hi").contains("exit code")
        .contains("/bin/sh");
  }
}
