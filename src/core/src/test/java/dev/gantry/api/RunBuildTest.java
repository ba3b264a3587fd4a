package dev.gantry.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.api.BuildRequest;
import dev.gantry.api.BuildResult;
import dev.gantry.api.Gantry;
import dev.gantry.model.BuildEvent;
import dev.gantry.model.BuildException;
import dev.gantry.model.StepResult;
import dev.gantry.oracle.BusyboxRootfs;
import dev.gantry.oracle.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** RUN through the public API: output events, failures with position and output tail, cache reuse after a fix. */
class RunBuildTest {
  @TempDir Path tmp;
  Path context;

  @BeforeEach
  void setUp() throws IOException {
    Tools.requireContainers();
    context = Files.createDirectories(tmp.resolve("ctx"));
    BusyboxRootfs.write(context.resolve("base.tar"));
  }

  private BuildResult build(String dockerfile, List<BuildEvent> events) throws Exception {
    Files.writeString(context.resolve("Dockerfile"), dockerfile);
    return new Gantry().build(BuildRequest.builder(context).storeDirectory(tmp.resolve("store"))
        .listener(events::add).build());
  }

  @Test
  void failingRunReportsPositionCommandExitCodeAndOutputTailThenTheFixedBuildReusesEarlierSteps() throws Exception {
    String head = "FROM scratch\nADD base.tar /\nRUN echo first > /first\n";
    List<BuildEvent> events = Collections.synchronizedList(new ArrayList<>());
    assertThatThrownBy(() -> build(head + "RUN for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo line$i; done; exit 7\n", events))
        .isInstanceOf(BuildException.class)
        .hasMessageStartingWith("Dockerfile:4:1: RUN for i in")
        .hasMessageContaining("exit code 7")
        .hasMessageContaining("line12")
        .hasMessageContaining("line3")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("line2\n"));
    assertThat(events).filteredOn(e -> e instanceof BuildEvent.Output).extracting(e -> ((BuildEvent.Output) e).line())
        .contains("line1", "line12");

    List<BuildEvent> again = new ArrayList<>();
    BuildResult fixed = build(head + "RUN echo second > /second\n", again);
    List<StepResult> steps = fixed.steps();
    assertThat(steps).extracting(StepResult::cached).containsExactly(true, true, false);
  }

  @Test
  @Timeout(300)
  void runSeesTheFifoDeletionsAndFilesOfTheRunBeforeIt() throws Exception {
    List<BuildEvent> events = Collections.synchronizedList(new ArrayList<>());
    build("FROM scratch\nADD base.tar /\nRUN busybox mkfifo /p && mkdir /d && echo x > /d/f && rm /etc/group\n"
        + "RUN test -p /p && test ! -e /etc/group && cat /d/f && rm /d/f\nRUN test ! -e /d/f && echo gone\n", events);
    assertThat(events).filteredOn(e -> e instanceof BuildEvent.Output).extracting(e -> ((BuildEvent.Output) e).line())
        .containsExactly("x", "gone");
  }

  @Test
  void unchangedRunIsACacheHitAndDoesNotRunAgain() throws Exception {
    String df = "FROM scratch\nADD base.tar /\nRUN echo ran-now\n";
    List<BuildEvent> first = new ArrayList<>();
    build(df, first);
    assertThat(first).filteredOn(e -> e instanceof BuildEvent.Output).hasSize(1);
    List<BuildEvent> second = new ArrayList<>();
    BuildResult r = build(df, second);
    assertThat(r.steps()).extracting(StepResult::cached).containsOnly(true);
    assertThat(second).noneMatch(e -> e instanceof BuildEvent.Output);
  }

  @Test
  void shellAndVisibleArgsArePartOfTheRunKey() throws Exception {
    String base = "FROM scratch\nADD base.tar /\n";
    String a = build(base + "RUN echo x\n", new ArrayList<>()).steps().get(1).cacheKey().toString();
    String withShell = build(base + "SHELL [\"/bin/sh\", \"-ec\"]\nRUN echo x\n", new ArrayList<>()).steps().get(2).cacheKey().toString();
    String withArg = build(base + "ARG V=1\nRUN echo x\n", new ArrayList<>()).steps().get(2).cacheKey().toString();
    String withOtherArg = build(base + "ARG V=2\nRUN echo x\n", new ArrayList<>()).steps().get(2).cacheKey().toString();
    assertThat(List.of(a, withShell, withArg, withOtherArg)).doesNotHaveDuplicates();
  }

  @Test
  void insecureRunIsRefusedBeforeAnyWorkUnlessAllowed() throws Exception {
    List<BuildEvent> events = new ArrayList<>();
    assertThatThrownBy(() -> build("FROM scratch\nADD base.tar /\nRUN --security=insecure true\n", events))
        .hasMessageContaining("Dockerfile:3")
        .hasMessageContaining("RUN --security=insecure is not allowed");
    assertThat(events).noneMatch(e -> e instanceof BuildEvent.Started);
  }
}
