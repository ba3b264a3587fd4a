package dev.gantry.maven;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.model.BuildEvent;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MavenLogListenerTest {
  private static final BuildEvent.StepId COPY = new BuildEvent.StepId("build", 2, 3, "COPY a /a");
  private static final BuildEvent.StepId ENV = new BuildEvent.StepId("build", 3, 3, "ENV X=1");

  @Test
  void oneInfoLinePerStep() {
    RecordingLog log = new RecordingLog(false);
    MavenLogListener l = new MavenLogListener(log);
    l.onEvent(new BuildEvent.Planned(2));
    l.onEvent(new BuildEvent.Started(COPY));
    l.onEvent(new BuildEvent.Progress(COPY, "layer", 10, 10));
    l.onEvent(new BuildEvent.Done(COPY, Duration.ofMillis(1250)));
    l.onEvent(new BuildEvent.Cached(ENV));
    l.onEvent(new BuildEvent.Done(ENV, Duration.ofMillis(3)));
    assertThat(log.lines()).containsExactly("INFO [build 2/3] COPY a /a DONE 1.3s", "INFO [build 3/3] ENV X=1 CACHED");
  }

  @Test
  void aStepCachedInOneBuildIsDoneInTheNext() {
    RecordingLog log = new RecordingLog(false);
    MavenLogListener l = new MavenLogListener(log);
    l.onEvent(new BuildEvent.Cached(COPY));
    l.onEvent(new BuildEvent.Done(COPY, Duration.ZERO));
    l.onEvent(new BuildEvent.Started(COPY));
    l.onEvent(new BuildEvent.Done(COPY, Duration.ofMillis(100)));
    assertThat(log.lines()).containsExactly("INFO [build 2/3] COPY a /a CACHED", "INFO [build 2/3] COPY a /a DONE 0.1s");
  }

  @Test
  void warningsFailuresAndOutput() {
    RecordingLog log = new RecordingLog(false);
    MavenLogListener l = new MavenLogListener(log);
    l.onEvent(new BuildEvent.Message("warning: Dockerfile:1:1: legacy key/value format"));
    l.onEvent(new BuildEvent.Message("using 2 contexts"));
    l.onEvent(new BuildEvent.Output(COPY, "hello"));
    l.onEvent(new BuildEvent.Failed(COPY, "no source files were specified"));
    assertThat(log.lines()).containsExactly(
        "WARN Dockerfile:1:1: legacy key/value format",
        "INFO using 2 contexts",
        "INFO [build 2/3] COPY a /a | hello",
        "ERROR [build 2/3] COPY a /a ERROR no source files were specified");
  }

  @Test
  void startsAndByteCountsAtDebugLevel() {
    RecordingLog log = new RecordingLog(true);
    MavenLogListener l = new MavenLogListener(log);
    l.onEvent(new BuildEvent.Planned(2));
    l.onEvent(new BuildEvent.Started(COPY));
    l.onEvent(new BuildEvent.Progress(COPY, "layer", 5, 10));
    assertThat(log.lines()).containsExactly("DEBUG planned 2 steps", "DEBUG [build 2/3] COPY a /a started",
        "DEBUG [build 2/3] COPY a /a layer 5/10 bytes");
  }
}
