package dev.gantry.api;

import dev.gantry.builder.BuildOutcome;
import dev.gantry.builder.BuildSpec;
import dev.gantry.builder.CacheOptions;
import dev.gantry.builder.Builder;
import dev.gantry.builder.ImagePublisher;
import dev.gantry.builder.NamespaceRequired;
import dev.gantry.exec.RunIsolation;
import dev.gantry.model.BuildEvent;
import dev.gantry.model.BuildException;
import dev.gantry.model.BuildListener;
import dev.gantry.model.Output;
import dev.gantry.model.PushRequest;
import dev.gantry.model.PushResult;
import dev.gantry.registry.ImageReference;
import dev.gantry.store.GcReport;
import dev.gantry.store.Lease;
import dev.gantry.store.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Gantry as a library: builds Dockerfiles into OCI images without a daemon.
 *
 * <pre>{@code
 * BuildResult r = new Gantry().build(BuildRequest.builder(Path.of("."))
 *     .tag("registry.example/app:1")
 *     .output(new Output.OciLayout(Path.of("target/image")))
 *     .build());
 * }</pre>
 *
 * <p>This class is immutable and thread-safe; several builds may run at once, also on one store.
 */
public final class Gantry {

  /** Builds {@code request}. */
  public BuildResult build(BuildRequest request) throws BuildException {
    long t0 = System.nanoTime();
    BuildListener listener = request.listener();
    Path store = request.storeDirectory().orElseGet(Store::defaultRoot);
    long bound;
    try {
      bound = StoreLimits.bound(request.storeMax().orElse(null), System.getenv(), store);
    } catch (IllegalArgumentException e) {
      throw new BuildException(e.getMessage(), "set " + StoreLimits.ENV + " to a size such as 10GiB, or to off", e);
    }
    BuildSpec spec = spec(request, store);
    Store opened;
    Lease lease;
    try {
      opened = Store.open(store);
      lease = opened.lease();
    } catch (IOException e) {
      throw new BuildException("cannot open the store " + store + ": " + e.getMessage(), null, e);
    }
    boolean bounded = true;
    try (Lease held = lease) {
      BuildOutcome outcome = Builder.build(spec, listener);
      return new BuildResult(outcome.manifestDigest(), outcome.configDigest(), request.tags(), outcome.steps(),
          Duration.ofNanos(System.nanoTime() - t0));
    } catch (NamespaceRequired n) {
      bounded = false; // the build runs again inside the namespace, which bounds the store after it
      throw new UserNamespaceRequiredException(n.getMessage(), n.hint(), n.isolation().mapsSubordinateIds(),
          n);
    } catch (IOException e) {
      throw new BuildException(e.getMessage() == null ? e.toString() : e.getMessage(), null, e);
    } finally {
      if (bounded) {
        boundStore(opened, bound, listener);
      }
    }
  }

  /** The builder's view of {@code request}, with the store at {@code store}. */
  private static BuildSpec spec(BuildRequest request, Path store) throws BuildException {
    BuildSpec.Builder spec = BuildSpec.builder(request.context(), request.dockerfile())
        .buildArgs(request.buildArgs())
        .buildContexts(request.buildContexts())
        .target(request.target().orElse(null))
        .platform(request.platform().orElse(null))
        .tags(request.tags())
        .outputs(outputs(request))
        .labels(request.labels())
        .noCache(request.noCache())
        .storeDirectory(store)
        .epoch(request.sourceDateEpoch().orElse(0L))
        .compression(request.compression())
        .sshSockets(request.sshSockets())
        .allowInsecure(request.allowInsecure())
        .registry(BuildSpec.RegistrySpec.of(request.pull(), request.insecureRegistries(), request.registryCredentials()))
        .network(request.network())
        .rewriteTimestamp(request.rewriteTimestamp())
        .isolation(RunIsolation.Request.valueOf(request.isolation().name()))
        .cache(cache(request));
    request.secretFiles().forEach((id, f) -> spec.secret(id, new BuildSpec.Secret(f, null)));
    request.secretEnvVars().forEach((id, v) -> spec.secret(id, new BuildSpec.Secret(null, v)));
    return spec.build();
  }

  /** The request's outputs, and with {@code push} a registry output to its tags last. */
  private static List<Output> outputs(BuildRequest request) {
    List<Output> outputs = new ArrayList<>(request.outputs());
    if (request.push()) {
      outputs.add(new Output.Registry(List.of()));
    }
    return outputs;
  }

  /** Applies the store bound after a build (see {@link StoreLimits}); a failure is reported, not thrown. */
  private static void boundStore(Store store, long bound, BuildListener listener) {
    if (bound == StoreLimits.OFF) {
      return;
    }
    try {
      GcReport r = store.bound(bound).orElse(null);
      if (r != null && r.bytesFreed() > 0) {
        listener.onEvent(new BuildEvent.Message("store: freed " + r.bytesFreed() + " bytes of least recently used"
            + " cache to stay within " + bound + " bytes"));
      }
    } catch (IOException e) {
      listener.onEvent(new BuildEvent.Message("warning: cannot bound the store " + store.root() + ": " + e.getMessage()));
    }
  }

  /** Every tag of the store at {@code storeDirectory} (null: the default store), sorted by tag. */
  public List<ImageSummary> images(Path storeDirectory) throws IOException {
    return LocalStore.images(LocalStore.open(storeDirectory));
  }

  /**
   * Removes the tags {@code refs} name (as written, or the same normalised reference; a pulled base
   * image by its reference) from the store at {@code storeDirectory} (null: the default store).
   * The images' data stays until {@link #prune}.
   */
  public RemoveResult removeImages(Path storeDirectory, List<String> refs) throws IOException {
    return LocalStore.remove(LocalStore.open(storeDirectory), refs);
  }

  /** What the store at {@code storeDirectory} (null: the default store) holds on disk. */
  public StoreUsage diskUsage(Path storeDirectory) throws IOException {
    return LocalStore.usage(LocalStore.open(storeDirectory));
  }

  /**
   * Removes what {@code request} asks for from a store. Safe while builds run on the same store:
   * what they used since they started is kept, and directories they may mount are left until no
   * build runs.
   */
  public PruneResult prune(PruneRequest request) throws IOException {
    return LocalStore.prune(LocalStore.open(request.storeDirectory().orElse(null)), request);
  }

  /** Pushes an image that is already built (see {@link PushRequest}); nothing is built. */
  public PushResult push(PushRequest request) throws BuildException {
    return ImagePublisher.push(request);
  }

  /** The cache options of {@code request}; a registry reference that is not valid fails the build. */
  private static CacheOptions cache(BuildRequest request) throws BuildException {
    List<CacheOptions.Location> from = new ArrayList<>();
    for (CacheLocation l : request.cacheFrom()) {
      from.add(location(l, "--cache-from"));
    }
    List<CacheOptions.Export> to = new ArrayList<>();
    for (CacheExport e : request.cacheTo()) {
      to.add(new CacheOptions.Export(location(e.location(), "--cache-to"), e.mode() == CacheExport.Mode.MAX));
    }
    return new CacheOptions(from, to);
  }

  private static CacheOptions.Location location(CacheLocation l, String flag) throws BuildException {
    if (l instanceof CacheLocation.Directory d) {
      return new CacheOptions.Location.Directory(d.directory());
    }
    String ref = ((CacheLocation.Registry) l).reference();
    try {
      return new CacheOptions.Location.Registry(ImageReference.parse(ref));
    } catch (IllegalArgumentException e) {
      throw new BuildException(flag + " " + e.getMessage(), "name the cache as REGISTRY/REPOSITORY:TAG", e);
    }
  }
}
