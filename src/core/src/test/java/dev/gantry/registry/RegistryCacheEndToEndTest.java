package dev.gantry.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.api.BuildRequest;
import dev.gantry.api.BuildResult;
import dev.gantry.api.CacheExport;
import dev.gantry.api.CacheLocation;
import dev.gantry.api.Gantry;
import dev.gantry.model.BuildEvent;
import dev.gantry.model.PushRequest;
import dev.gantry.model.StepResult;
import dev.gantry.oracle.BusyboxRootfs;
import dev.gantry.oracle.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --cache-to/--cache-from type=registry}: a store exports its results to a real
 * docker-registry; an empty store (a fresh CI runner) imports them through a loopback proxy that
 * logs every request, so the test sees which blobs were downloaded.
 */
class RegistryCacheEndToEndTest {
  /** Two stages with RUN and COPY, and a last stage that copies from them. */
  private static final String MULTI_STAGE = """
      FROM scratch AS base
      ADD base.tar /
      RUN echo built > /built.txt
      FROM base AS deps
      COPY dep.txt /dep.txt
      RUN cat /dep.txt /built.txt > /deps.out
      FROM scratch
      COPY --from=deps /deps.out /deps.out
      COPY app.txt /app.txt
      ENV MODE=cached
      """;

  @TempDir Path tmp;

  /** Every event of a build, for asserting on messages and misses. */
  static final class Events implements dev.gantry.model.BuildListener {
    final List<BuildEvent> all = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(BuildEvent e) {
      all.add(e);
    }

    List<String> messages() {
      return all.stream().filter(e -> e instanceof BuildEvent.Message).map(e -> ((BuildEvent.Message) e).text())
          .toList();
    }

    List<String> misses() {
      return all.stream().filter(e -> e instanceof BuildEvent.CacheMiss).map(e -> ((BuildEvent.CacheMiss) e).reason())
          .toList();
    }
  }

  private Path context(String dockerfile) throws Exception {
    Path ctx = Files.createDirectories(tmp.resolve("ctx"));
    BusyboxRootfs.write(ctx.resolve("base.tar"));
    Files.writeString(ctx.resolve("dep.txt"), "dependency\n");
    Files.writeString(ctx.resolve("app.txt"), "app v1\n");
    Files.writeString(ctx.resolve("Dockerfile"), dockerfile);
    return ctx;
  }

  private static BuildRequest.Builder request(Path ctx, Path store, Events events) {
    return BuildRequest.builder(ctx).storeDirectory(store).listener(events);
  }

  private static List<Boolean> cached(BuildResult r) {
    return r.steps().stream().map(StepResult::cached).toList();
  }

  private static long layerGets(FaultProxy proxy) {
    return proxy.requests.stream().filter(r -> r.startsWith("GET ") && r.contains("/blobs/sha256:")).count();
  }

  @Test
  void anEmptyStoreReusesEveryStepAndPushesTheSameImageWithoutDownloadingALayer() throws Exception {
    Fixtures.assumeTools();
    Tools.requireContainers();
    Path ctx = context(MULTI_STAGE);
    try (TestRegistry registry = TestRegistry.start(tmp.resolve("registry"), TestRegistry.Mode.ANONYMOUS);
        FaultProxy proxy = FaultProxy.start(registry.host())) {
      String cache = proxy.host() + "/cache:max";
      Events a = new Events();
      BuildResult first = new Gantry().build(request(ctx, tmp.resolve("store-a"), a)
          .cacheTo(CacheExport.parse("type=registry,ref=" + cache + ",mode=max")).build());
      assertThat(cached(first)).containsOnly(false);

      proxy.requests.clear();
      Events b = new Events();
      BuildResult second = new Gantry().build(request(ctx, tmp.resolve("store-b"), b)
          .cacheFrom(CacheLocation.parse("type=registry,ref=" + cache)).tag(proxy.host() + "/app:1").push(true).build());

      assertThat(cached(second)).hasSize(first.steps().size()).containsOnly(true);
      assertThat(second.manifestDigest()).isEqualTo(first.manifestDigest());
      // the manifest and the cache document only: not one layer (nor a preimage) was downloaded
      assertThat(proxy.requests.stream().filter(r -> r.startsWith("GET ") && r.contains("/blobs/")))
          .hasSize(1).allMatch(r -> r.startsWith("GET /v2/cache/blobs/"));
      // the one upload is the image config, which no cache holds; both layers are mounted
      assertThat(b.messages()).contains("blobs: 1 uploaded, 2 mounted, 0 already present");
      // no RUN ran, so no layer was unpacked
      assertThat(tmp.resolve("store-b/v1/rootfs")).satisfiesAnyOf(p -> assertThat(p).doesNotExist(),
          p -> assertThat(p).isEmptyDirectory());
    }
  }

  @Test
  void aChangedFileRunsOnlyTheStepsAfterItAndModeMinLeavesTheEarlierStagesOut() throws Exception {
    Fixtures.assumeTools();
    Tools.requireContainers();
    Path ctx = context(MULTI_STAGE);
    try (TestRegistry registry = TestRegistry.start(tmp.resolve("registry"), TestRegistry.Mode.ANONYMOUS)) {
      String host = registry.host();
      new Gantry().build(request(ctx, tmp.resolve("store-a"), new Events())
          .cacheTo(CacheExport.parse("type=registry,ref=" + host + "/cache:max,mode=max"))
          .cacheTo(CacheExport.parse("type=registry,ref=" + host + "/cache:min")).build());
      Files.writeString(ctx.resolve("app.txt"), "app v2\n");

      Events max = new Events();
      BuildResult fromMax = new Gantry().build(request(ctx, tmp.resolve("store-b"), max)
          .cacheFrom(new CacheLocation.Registry(host + "/cache:max")).build());
      // base: ADD, RUN; deps: COPY, RUN; last stage: COPY --from, COPY app.txt, ENV
      assertThat(cached(fromMax)).containsExactly(true, true, true, true, true, false, false);
      assertThat(max.misses()).containsExactly("file app.txt changed");

      BuildResult fromMin = new Gantry().build(request(ctx, tmp.resolve("store-c"), new Events())
          .cacheFrom(new CacheLocation.Registry(host + "/cache:min")).build());
      assertThat(cached(fromMin)).containsExactly(false, false, false, false, true, false, false);
      assertThat(fromMin.manifestDigest()).isEqualTo(fromMax.manifestDigest());
    }
  }

  @Test
  void aPushToAnotherRegistryFetchesTheCachedLayersOnceAndAReExportMountsThem() throws Exception {
    Fixtures.assumeTools();
    Path ctx = context("FROM scratch AS deps\nCOPY dep.txt /dep.txt\nFROM scratch\nCOPY --from=deps /dep.txt /d\n"
        + "COPY app.txt /app.txt\n");
    try (TestRegistry registry = TestRegistry.start(tmp.resolve("registry"), TestRegistry.Mode.ANONYMOUS);
        TestRegistry other = TestRegistry.start(tmp.resolve("other"), TestRegistry.Mode.ANONYMOUS);
        FaultProxy proxy = FaultProxy.start(registry.host())) {
      String cache = proxy.host() + "/cache:max";
      BuildResult first = new Gantry().build(request(ctx, tmp.resolve("store-a"), new Events())
          .cacheTo(CacheExport.parse("type=registry,ref=" + cache + ",mode=max")).build());

      proxy.requests.clear();
      Events b = new Events();
      BuildResult second = new Gantry().build(request(ctx, tmp.resolve("store-b"), b)
          .cacheFrom(CacheLocation.parse(cache)).tag(other.host() + "/app:1").push(true)
          .cacheTo(CacheExport.parse("type=registry,ref=" + proxy.host() + "/copy:max,mode=max")).build());

      assertThat(cached(second)).hasSize(3).containsOnly(true);
      assertThat(second.manifestDigest()).isEqualTo(first.manifestDigest());
      // the document, then the image's two layers, each once, to upload them to the other registry
      assertThat(layerGets(proxy)).as(proxy.requests.toString()).isEqualTo(3);
      assertThat(b.messages()).contains("blobs: 3 uploaded, 0 mounted, 0 already present");
      // the re-export to the cache's registry mounts the three layers, the three preimages and any layer
      // index from the cache; the one upload is its document
      assertThat(b.messages()).anyMatch(m -> m.matches("blobs: 1 uploaded, (6|7|8|9) mounted, 0 already present"));
    }
  }

  @Test
  void anImageOnAPulledBaseKeptUnderATagIsPushedLaterByMountingTheBaseAndTheCachedLayers() throws Exception {
    Fixtures.assumeTools();
    Path base = Fixtures.baseLayout(tmp.resolve("base"));
    try (TestRegistry registry = Fixtures.seeded(tmp.resolve("registry"), base, "base:1");
        FaultProxy proxy = FaultProxy.start(registry.host())) {
      Path ctx = context("FROM " + proxy.host() + "/base:1\nCOPY app.txt /app.txt\nENV MODE=cached\n");
      String cache = proxy.host() + "/cache:1";
      BuildResult first = new Gantry().build(request(ctx, tmp.resolve("store-a"), new Events())
          .cacheTo(CacheExport.parse("type=registry,ref=" + cache)).build());

      proxy.requests.clear();
      String app = proxy.host() + "/app:1";
      BuildResult second = new Gantry().build(request(ctx, tmp.resolve("store-b"), new Events())
          .cacheFrom(CacheLocation.parse(cache)).tag(app).build());
      Fixtures.Messages pushed = new Fixtures.Messages();
      new Gantry().push(PushRequest.builder(app).storeDirectory(tmp.resolve("store-b")).listener(pushed).build());

      assertThat(cached(second)).containsOnly(true);
      assertThat(second.manifestDigest()).isEqualTo(first.manifestDigest());
      // the base's config and the cache document: neither the base's layer nor the COPY layer
      assertThat(layerGets(proxy)).isEqualTo(2);
      assertThat(pushed.lines).contains("blobs: 1 uploaded, 2 mounted, 0 already present");
    }
  }
}
