package dev.gantry.builder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.api.BuildResult;
import dev.gantry.api.Gantry;
import dev.gantry.exec.Runc;
import dev.gantry.model.Output;
import dev.gantry.oracle.BusyboxRootfs;
import dev.gantry.oracle.Tools;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * RUN sees what COPY and ADD wrote, the same whether the step ran or came from the cache: archive
 * entries named like whiteouts, hard links in any layer order, device nodes. Needs runc
 * and busybox-static; under {@code CI=true} their absence fails the test instead of skipping it.
 */
class LayerRulesRunTest {
  @TempDir Path work;
  BuildFixture fx;

  @BeforeEach
  void setUp() throws Exception {
    boolean ready = Runc.unavailable().isEmpty() && BusyboxRootfs.available();
    if ("true".equals(System.getenv("CI"))) {
      assertThat(ready).as("runc and busybox-static are installed: " + Runc.unavailable().orElse("")).isTrue();
    }
    Tools.require(ready, "cannot run containers here: " + Runc.unavailable().orElse("no busybox-static"));
    fx = new BuildFixture(work);
    BusyboxRootfs.write(fx.context.resolve("base.tar"));
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void runSeesWhiteoutNamesOfAnAddedArchiveAsWhiteoutsColdAndCached() throws Exception {
    fx.write("keep/x", "x\n");
    fx.write("keep/y", "y\n");
    fx.write("w.tar", new TestTars().file(".wh.x", "").file("z", "z\n").tar());
    fx.dockerfile("FROM scratch\nADD base.tar /\nCOPY keep/ /keep/\nADD w.tar /keep/\nARG V\n"
        + "RUN test ! -e /keep/x && test ! -e /keep/.wh.x && test -f /keep/y && test -f /keep/z && echo $V > /v\n");
    BuildResult cold = new Gantry().build(fx.request().buildArg("V", "1").build());
    BuildResult cached = new Gantry().build(fx.request().buildArg("V", "2")
        .output(new Output.OciLayout(work.resolve("again"))).build());
    assertThat(cold.cachedSteps()).isZero();
    assertThat(cached.cachedSteps()).as("both ADDs and the COPY").isGreaterThanOrEqualTo(3);
  }

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void hardLinksAndDevicesReachRunAndARunLinkSortingFirstHoldsTheFile() throws Exception {
    fx.write("links.tar", new TestTars().file("plain/hello.txt", "hello\n")
        .hardlink("plain/hard-to-hello", "plain/hello.txt").tar());
    fx.write("dev.tar", new TestTars().special("devs/null", TarArchiveEntry.LF_CHR, 0666, 1, 3).tar());
    fx.dockerfile("FROM scratch\nADD base.tar /\nADD links.tar /\nADD dev.tar /\n"
        + "RUN test \"$(stat -c %h /plain/hello.txt)\" = 2 && test -c /devs/null\n"
        + "RUN echo made > /b && ln /b /a\n");
    fx.build();
    List<Map<String, String>> layers = CraftedImages.layers(fx.out);
    assertThat(layers.get(layers.size() - 1)).containsEntry("a", "file").containsEntry("b", "link -> a");
  }
}
