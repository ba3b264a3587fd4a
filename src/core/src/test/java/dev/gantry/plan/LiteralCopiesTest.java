package dev.gantry.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.gantry.oci.Platform;
import dev.gantry.parse.Dockerfiles;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The planner hands the COPY and ADD steps whose context inputs are known before expansion to
 * {@link InputDigester#prefetch}, before it resolves any base image, and they are the specs it
 * describes later.
 */
class LiteralCopiesTest {
  /** Records what the planner asks of it, in order. */
  private static final class Recorder implements InputDigester {
    final List<String> events = new ArrayList<>();
    final List<CopySpec> prefetched = new ArrayList<>();
    final List<CopySpec> described = new ArrayList<>();

    @Override
    public Object describe(CopySpec spec) {
      events.add("describe");
      described.add(spec);
      return List.of();
    }

    @Override
    public void prefetch(List<CopySpec> specs) {
      events.add("prefetch");
      prefetched.addAll(specs);
    }
  }

  private static LayerPlanner.Options options(Recorder inputs, BaseResolver bases) {
    return new LayerPlanner.Options(Map.of(), null, Platform.parse("linux/amd64"), Platform.parse("linux/amd64"),
        Set.of(), Set.of(), bases, inputs, t -> {
          throw new IllegalStateException();
        });
  }

  private static String key(CopySpec s) {
    return (s.add() ? "ADD " : "COPY ") + s.from() + " " + s.sources() + " excl " + s.excludes() + " parents "
        + s.parents();
  }

  @Test
  void literalContextCopiesOfTheBuiltStagesArePrefetchedAsThePlannerDescribesThem() throws Exception {
    String dockerfile = """
        FROM scratch AS build
        COPY a.txt b/ /x/
        COPY --exclude=*.tmp src /src
        ARG V=1
        COPY $V.txt /v/
        COPY "q.txt" /q/
        ADD local.tar /l/
        ADD https://example.com/f /f
        COPY <<EOF /h
        hi
        EOF
        FROM scratch AS unused
        COPY unused.txt /
        FROM scratch
        COPY --from=build /x /x
        COPY --parents app/*.jar /app/
        """;
    var df = Dockerfiles.parse("Dockerfile", dockerfile.getBytes(StandardCharsets.UTF_8));
    Recorder inputs = new Recorder();
    LayerPlanner.plan(df, options(inputs, (ref, platform) -> {
      throw new BaseResolver.UnresolvableBaseException("no images here", null);
    }));

    assertThat(inputs.prefetched).extracting(LiteralCopiesTest::key).containsExactly(
        "COPY null [a.txt, b/] excl [] parents false",
        "COPY null [src] excl [*.tmp] parents false",
        "ADD null [local.tar] excl [] parents false",
        "COPY null [app/*.jar] excl [] parents true");
    List<String> described = inputs.described.stream().map(LiteralCopiesTest::key).toList();
    assertThat(described).as("each prefetched spec reads what the planner's own spec reads")
        .containsAll(inputs.prefetched.stream().map(LiteralCopiesTest::key).toList());
    assertThat(described).contains("COPY null [1.txt] excl [] parents false", "COPY null [q.txt] excl [] parents false");
    assertThat(inputs.events.get(0)).isEqualTo("prefetch");
  }

  @Test
  void prefetchStartsBeforeTheBaseImageIsResolved() throws Exception {
    var df = Dockerfiles.parse("Dockerfile", "FROM example.com/base:1\nCOPY app.jar /app/\n".getBytes(StandardCharsets.UTF_8));
    Recorder inputs = new Recorder();
    Throwable t = catchThrowable(() -> LayerPlanner.plan(df, options(inputs, (ref, platform) -> {
      inputs.events.add("resolve " + ref);
      throw new BaseResolver.UnresolvableBaseException("no images here", null);
    })));
    assertThat(t).isNotNull();
    assertThat(inputs.events).startsWith("prefetch", "resolve OfImage[reference=example.com/base:1]");
    assertThat(inputs.prefetched).extracting(LiteralCopiesTest::key).containsExactly(
        "COPY null [app.jar] excl [] parents false");
  }
}
