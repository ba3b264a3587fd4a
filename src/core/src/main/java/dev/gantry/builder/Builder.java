package dev.gantry.builder;

import dev.gantry.ast.Dockerfile;
import dev.gantry.ast.DockerfileException;
import dev.gantry.context.FileDigests;
import dev.gantry.exec.RunIsolation;
import dev.gantry.exec.RunWorkspace;
import dev.gantry.layer.Xattrs;
import dev.gantry.model.BuildEvent;
import dev.gantry.model.BuildException;
import dev.gantry.model.BuildListener;
import dev.gantry.model.Output;
import dev.gantry.oci.Blob;
import dev.gantry.oci.Blobs;
import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.oci.Image;
import dev.gantry.oci.ImageConfig;
import dev.gantry.oci.Json;
import dev.gantry.oci.Platform;
import dev.gantry.parse.Dockerfiles;
import dev.gantry.plan.BuildPlan;
import dev.gantry.plan.LayerPlanner;
import dev.gantry.plan.PlannedStage;
import dev.gantry.plan.PlannedStep;
import dev.gantry.plan.StageRef;
import dev.gantry.plan.StepAction;
import dev.gantry.registry.ImageReference;
import dev.gantry.registry.Registries;
import dev.gantry.store.Store;
import dev.gantry.store.WorkDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Builds a Dockerfile: parse, plan (every cache key before anything runs), execute the stages the
 * target needs (independent stages in parallel), assemble the image, store it under its tags and
 * write the requested outputs.
 *
 * <p>Thread-safe: each call to {@link #build} is independent; builds share only the store, which
 * is safe for concurrent use by threads and processes.
 */
public final class Builder {
  /**
   * How long a temporary store file must have been left alone (and unlocked) before a starting
   * build removes it: longer than a writer takes between creating and locking it.
   */
  private static final Duration ABANDONED_TEMP_GRACE = Duration.ofSeconds(5);
  /** The store's directory of the context stat cache. */
  private static final String CONTEXT_CACHE = "context-cache";

  private Builder() {}

  /**
   * Runs one build.
   *
   * @throws DockerfileException for errors in the Dockerfile (all of them, positioned)
   * @throws BuildException when a step or an output fails
   */
  public static BuildOutcome build(BuildSpec spec, BuildListener listener) throws BuildException, IOException {
    // binding the native calls, setting up the JSON reader and (see below) compiling the hash overlap
    // parsing and planning
    Thread bind = new Thread(() -> {
      if (!spec.cache().from().isEmpty()) {
        // a fresh runner reading a shared cache waits for the registry: time to compile the hash
        FileDigests.warmUpIfFresh(spec.storeDirectory().resolve(CONTEXT_CACHE));
      }
      Xattrs.available();
      Json.readTree(new byte[] {'{', '}'});
    }, "gantry-warm-up");
    bind.setDaemon(true);
    bind.start();
    Path dockerfilePath = spec.dockerfile();
    String name = dockerfilePath.getFileName().toString();
    byte[] content;
    try {
      content = Files.readAllBytes(dockerfilePath);
    } catch (IOException e) {
      throw new BuildException("cannot read " + dockerfilePath + ": " + e.getMessage(),
          "pass the Dockerfile with -f, or put one named Dockerfile in the context", e);
    }
    if (!Files.isDirectory(spec.context())) {
      throw new BuildException("build context " + spec.context() + " is not a directory", null, null);
    }
    Store store = Store.open(spec.storeDirectory());
    try (RegistryWork remote = RegistryWork.start(spec, store, listener)) {
      return build(spec, listener, ParsedDockerfiles.parse(name, content), store, remote);
    }
  }

  private static BuildOutcome build(BuildSpec spec, BuildListener listener, Dockerfile df, Store store,
      RegistryWork remote) throws BuildException, IOException {
    df.warnings().forEach(w -> listener.onEvent(new BuildEvent.Message("warning: " + w.format())));
    Map<String, Path> dirs = new LinkedHashMap<>();
    Map<String, LayoutBases.Location> layouts = new LinkedHashMap<>();
    Map<String, ImageReference> images = new LinkedHashMap<>();
    for (Map.Entry<String, String> c : spec.buildContexts().entrySet()) {
      LayoutBases.Location loc = LayoutBases.parse(c.getValue());
      ImageReference image = imageContext(c.getKey(), c.getValue());
      if (loc != null) {
        layouts.put(c.getKey(), loc);
      } else if (image != null) {
        images.put(c.getKey(), image);
      } else if (c.getValue().contains("://")) {
        throw new BuildException("build context " + c.getKey() + "=" + c.getValue() + " is not supported",
            "use a directory, oci-layout://DIR[:TAG] or docker-image://REF", null);
      } else {
        Path dir = Path.of(c.getValue());
        if (!Files.isDirectory(dir)) {
          throw new BuildException("build context " + c.getKey() + ": " + dir + " is not a directory", null, null);
        }
        dirs.put(c.getKey(), dir);
      }
    }
    removeLeftovers(store, listener);
    try (WorkDirectory work = WorkDirectory.create(store); Store.SyncBatch syncs = store.deferDirectorySyncs()) {
      try {
        return run(spec, listener, df, store, dirs, layouts, images, work.path(), remote);
      } finally {
        remove(work.path(), listener);
      }
    }
  }

  /**
   * Removes what builds that died left in {@code store}: their work directories (containers,
   * mounts, files; see {@link RunWorkspace#remove}) and the temporary files of their blob writers.
   */
  private static void removeLeftovers(Store store, BuildListener listener) {
    try {
      for (WorkDirectory dead : WorkDirectory.abandoned(store)) {
        try (dead) {
          remove(dead.path(), listener);
        }
      }
      store.removeAbandonedTemps(ABANDONED_TEMP_GRACE);
    } catch (IOException e) {
      listener.onEvent(new BuildEvent.Message("warning: cannot remove what earlier builds left in " + store.root() + ": " + e.getMessage()));
    }
  }

  private static void remove(Path work, BuildListener listener) {
    try {
      RunWorkspace.remove(work);
    } catch (IOException e) {
      listener.onEvent(new BuildEvent.Message("warning: " + e.getMessage() + " (the next build on this store tries again)"));
    }
  }

  private static BuildOutcome run(BuildSpec spec, BuildListener listener, Dockerfile df, Store store,
      Map<String, Path> dirs, Map<String, LayoutBases.Location> layouts, Map<String, ImageReference> images,
      Path scratch, RegistryWork work) throws BuildException, IOException {
    Platform buildPlatform = Platform.current();
    Platform target = spec.platform() == null ? buildPlatform : spec.platform();
    Contexts contexts = new Contexts(spec.context(), spec.dockerfile(), dirs);
    BuildSpec.RegistrySpec rs = spec.registry();
    Registries registries = work.registries();
    Map<Output.Registry, List<ImageReference>> pushTo = new LinkedHashMap<>();
    for (Output o : spec.outputs()) {
      if (o instanceof Output.Registry r) {
        pushTo.put(r, Pushes.references(r.names().isEmpty() ? spec.tags() : r.names()));
      }
    }
    ImagePuller puller = new ImagePuller(registries, store);
    // the HTTP client is made while the build plans, when a registry is likely to be asked
    if (!images.isEmpty() || mayPull(df, dirs.keySet(), layouts.keySet(), puller, target, rs.pull())) {
      registries.prepare();
    }
    RemoteBlobs remote = work.remote();
    CompletableFuture<CacheImports> imports = work.imports();
    RegistryBases pulled = new RegistryBases(puller, rs.pull(), images);
    LayoutBases bases = new LayoutBases(layouts, pulled);
    UrlSources urls = new UrlSources(store);
    FileDigests digests = FileDigests.withCache(store.root().resolve(CONTEXT_CACHE));
    Set<String> imageContexts = new TreeSet<>(layouts.keySet());
    imageContexts.addAll(images.keySet());
    ContextInputs inputs = new ContextInputs(contexts, digests, urls);
    LayerPlanner.Options options = new LayerPlanner.Options(spec.buildArgs(), spec.target(), target,
        buildPlatform, dirs.keySet(), imageContexts, bases, inputs, Dockerfiles::trigger, spec.network(),
        spec.rewriteTimestamp() ? Instant.ofEpochSecond(spec.epoch()) : null);
    BuildPlan plan;
    try {
      plan = LayerPlanner.plan(df, options);
    } finally {
      inputs.stop();
    }
    RunIsolation isolation = RunSupport.check(df, plan, spec.allowInsecure(), spec.isolation());
    if (isolation != null) {
      listener.onEvent(new BuildEvent.Message(isolation.describe()));
    }
    plan.warnings().forEach(w -> listener.onEvent(new BuildEvent.Message("warning: " + w)));
    listener.onEvent(new BuildEvent.Planned(plan.stepCount()));
    BuildSession session = new BuildSession(spec, store, contexts, bases, urls, listener, scratch, isolation,
        remote, imports.join());
    StageResult result;
    digests.saveInBackground(); // overlaps the steps; awaited before the image is assembled
    try {
      result = execute(plan, session);
    } finally {
      digests.awaitSave();
    }
    ImageConfig config = result.config();
    if (!spec.labels().isEmpty()) {
      Map<String, String> labels = new LinkedHashMap<>(config.config().labels());
      labels.putAll(spec.labels());
      config = config.withConfig(config.config().withLabels(labels));
    }
    List<Blob> layers = new ArrayList<>();
    List<Digest> diffIds = config.rootfs().diffIds();
    for (int i = 0; i < result.layers().size(); i++) {
      layers.add(session.blob(result.layers().get(i), i < diffIds.size() ? diffIds.get(i) : null));
    }
    Image image = Image.oci(config, layers);
    for (Blob b : List.of(image.config(), image.manifest())) {
      if (!store.hasBlob(b.descriptor().digest())) {
        store.putBlob(Blobs.readAll(b));
      }
    }
    for (String tag : spec.tags()) {
      store.tag(tag, image.manifest().descriptor().digest());
    }
    Outputs.write(image, spec.tags(), spec.outputs(), session.epoch,
        r -> Pushes.sink(pushTo.get(r), registries, listener));
    CacheExports.exportAll(spec.cache().to(), plan, session, registries);
    return new BuildOutcome(image.manifest().descriptor().digest(), image.config().descriptor().digest(), session.steps);
  }

  /**
   * True when a FROM may have to ask a registry: it names an image (not scratch, an earlier stage or a
   * named context) that this store has not resolved for {@code platform} before, or that the build
   * pulls again ({@code pull}), or whose name or platform is only known after expansion.
   */
  private static boolean mayPull(Dockerfile df, Set<String> dirs, Set<String> layouts, ImagePuller puller,
      Platform platform, boolean pull) {
    Set<String> names = new java.util.HashSet<>();
    for (dev.gantry.ast.Stage st : df.stages()) {
      String image = st.from().image().toLowerCase(Locale.ROOT);
      if (!image.equals("scratch") && !names.contains(image) && !dirs.contains(image) && !layouts.contains(image)
          && (pull || st.from().platform() != null || !resolvedBefore(puller, st.from().image(), platform))) {
        return true;
      }
      st.name().ifPresent(n -> names.add(n.toLowerCase(Locale.ROOT)));
    }
    return false;
  }

  private static boolean resolvedBefore(ImagePuller puller, String image, Platform platform) {
    if (image.contains("$")) {
      return false;
    }
    try {
      return puller.resolvedBefore(ImageReference.parse(image), platform);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static ImageReference imageContext(String name, String value) throws BuildException {
    try {
      return RegistryBases.parse(value);
    } catch (IllegalArgumentException e) {
      throw new BuildException("build context " + name + "=" + value + ": " + e.getMessage(), null, e);
    }
  }

  private static StageResult execute(BuildPlan plan, BuildSession session) throws BuildException {
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(2, plan.stages().size()), r -> {
      Thread t = new Thread(r, "gantry-stage");
      t.setDaemon(true);
      return t;
    });
    try {
      for (PlannedStage stage : plan.stages()) {
        List<CompletableFuture<StageResult>> deps = new ArrayList<>();
        for (PlannedStage other : plan.stages()) {
          if (dependsOn(stage, other.index()) && session.results.containsKey(other.index())) {
            deps.add(session.results.get(other.index()));
          }
        }
        CompletableFuture<StageResult> f = CompletableFuture.allOf(deps.toArray(CompletableFuture[]::new))
            .thenApplyAsync(v -> runStage(session, stage), pool);
        session.results.put(stage.index(), f);
      }
      return session.results.get(plan.target().index()).join();
    } catch (CompletionException e) {
      Throwable c = e.getCause();
      while (c instanceof CompletionException && c.getCause() != null) {
        c = c.getCause();
      }
      if (c instanceof StageFailure sf) {
        throw sf.failure;
      }
      if (c instanceof DockerfileException de) {
        throw de;
      }
      throw new BuildException(c.getMessage() == null ? c.toString() : c.getMessage(), null, c);
    } finally {
      pool.shutdownNow();
    }
  }

  private static boolean dependsOn(PlannedStage stage, int other) {
    if (stage.base() instanceof StageRef.OfStage s && s.index() == other) {
      return true;
    }
    for (PlannedStep step : stage.steps()) {
      if (step.action() instanceof StepAction.CopyFiles c && c.spec().from() instanceof StageRef.OfStage s
          && s.index() == other) {
        return true;
      }
      if (step.action() instanceof StepAction.RunCommand r && RunMounts.usesStage(r, other)) {
        return true;
      }
    }
    return false;
  }

  private static StageResult runStage(BuildSession session, PlannedStage stage) {
    try {
      StageResult parent = stage.base() instanceof StageRef.OfStage s ? session.results.get(s.index()).join() : null;
      return new StageExecutor(session, stage, parent).run();
    } catch (BuildException f) {
      throw new StageFailure(f);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Carries a {@link BuildException} out of a stage thread. */
  private static final class StageFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient BuildException failure;

    StageFailure(BuildException failure) {
      super(failure.getMessage(), failure);
      this.failure = failure;
    }
  }
}
