package dev.gantry.parse;

import static dev.gantry.parse.ConverterTestSupport.error;
import static dev.gantry.parse.ConverterTestSupport.one;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.ast.Copy;
import dev.gantry.ast.Dockerfile;
import dev.gantry.ast.Healthcheck;
import dev.gantry.ast.Onbuild;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthcheckAndOnbuildTest {

  @Test
  void healthcheckWithOptions() {
    Healthcheck h = (Healthcheck) one(Nodes.node("HEALTHCHECK", List.of("--interval=1m30s", "--timeout=5s",
        "--start-period=0", "--start-interval=500ms", "--retries=3"), "CMD", "curl -f http://localhost/"));
    assertThat(h.test()).containsExactly("CMD-SHELL", "curl -f http://localhost/");
    assertThat(h.interval()).isEqualTo(Duration.ofSeconds(90));
    assertThat(h.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(h.startPeriod()).isZero();
    assertThat(h.startInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(h.retries()).isEqualTo(3);
    Healthcheck exec = (Healthcheck) one(Nodes.json("HEALTHCHECK", "CMD", "true"));
    assertThat(exec.test()).containsExactly("CMD", "true");
    assertThat(((Healthcheck) one(Nodes.node("HEALTHCHECK", "none"))).isNone()).isTrue();
  }

  @Test
  void healthcheckErrors() {
    assertThat(error(Nodes.node("HEALTHCHECK", List.of("--interval=50ns"), "CMD", "true")))
        .isEqualTo("Interval \"interval\" cannot be less than 1ms");
    assertThat(error(Nodes.node("HEALTHCHECK", List.of("--timeout=5"), "CMD", "true")))
        .isEqualTo("time: missing unit in duration \"5\"");
    assertThat(error(Nodes.node("HEALTHCHECK", List.of("--retries=-1"), "CMD", "true")))
        .isEqualTo("--retries cannot be negative (-1)");
    assertThat(error(Nodes.node("HEALTHCHECK", "NONE", "x"))).isEqualTo("HEALTHCHECK NONE takes no arguments");
    assertThat(error(Nodes.node("HEALTHCHECK", "PING", "x"))).isEqualTo("Unknown type \"PING\" in HEALTHCHECK (try CMD)");
    assertThat(error(Nodes.node("HEALTHCHECK", "CMD"))).isEqualTo("Missing command after HEALTHCHECK CMD");
  }

  @Test
  void goDurations() {
    assertThat(GoDuration.parseNanos("1h2m3.5s")).isEqualTo(3_723_500_000_000L);
    assertThat(GoDuration.parseNanos("1.5us")).isEqualTo(1500);
    assertThat(GoDuration.parseNanos("-2ms")).isEqualTo(-2_000_000);
    assertThat(GoDuration.parseNanos("0")).isZero();
    assertThatThrownBy(() -> GoDuration.parseNanos("1d")).hasMessage("time: unknown unit \"d\" in duration \"1d\"");
    assertThatThrownBy(() -> GoDuration.parseNanos("")).hasMessage("time: invalid duration \"\"");
    assertThatThrownBy(() -> GoDuration.parseNanos("9999999999h")).hasMessage("time: invalid duration \"9999999999h\"");
  }

  @Test
  void onbuildKeepsTheTriggerConverted() {
    Onbuild o = (Onbuild) one(Nodes.onbuild(Nodes.node("COPY", "a", "/b")));
    assertThat(o.expression()).isEqualTo("COPY a /b");
    assertThat(o.trigger()).isInstanceOf(Copy.class);
  }

  @Test
  void onbuildRejectsChainingFromAndMaintainer() {
    assertThat(error(Nodes.onbuild(Nodes.node("ONBUILD"))))
        .isEqualTo("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
    assertThat(error(Nodes.onbuild(Nodes.node("FROM", "x")))).isEqualTo("FROM isn't allowed as an ONBUILD trigger");
    assertThat(error(Nodes.onbuild(Nodes.node("maintainer", "x"))))
        .isEqualTo("MAINTAINER isn't allowed as an ONBUILD trigger");
  }

  @Test
  void aBadOnbuildTriggerIsAWarning() {
    Dockerfile d = InstructionConverter.convert(Nodes.tree(Nodes.node("FROM", "scratch"),
        Nodes.onbuild(Nodes.node("COPY", "a"))));
    assertThat(((Onbuild) d.stages().get(0).instructions().get(0)).trigger()).isNull();
    assertThat(d.warnings()).singleElement().satisfies(w ->
        assertThat(w.message()).startsWith("ONBUILD trigger will fail when it runs: COPY requires at least two"));
  }
}
