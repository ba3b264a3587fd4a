package dev.gantry.api;

import dev.gantry.builder.BuildFailure;
import dev.gantry.builder.BuildObserver;
import dev.gantry.builder.BuildOutcome;
import dev.gantry.builder.BuildSpec;
import dev.gantry.builder.CacheOptions;
import dev.gantry.builder.Builder;
import dev.gantry.builder.ImagePublisher;
import dev.gantry.registry.Credentials;
import dev.gantry.registry.ImageReference;
import dev.gantry.store.GcReport;
import dev.gantry.store.Lease;
import dev.gantry.store.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
    List<BuildSpec.OutputSpec> outputs = new ArrayList<>();
    for (Output o : request.outputs()) {
      if (o instanceof Output.OciLayout l) {
        outputs.add(new BuildSpec.OutputSpec("oci", l.directory()));
      } else if (o instanceof Output.OciArchive a) {
        outputs.add(new BuildSpec.OutputSpec("oci-tar", a.file()));
      } else if (o instanceof Output.DockerArchive d) {
        outputs.add(new BuildSpec.OutputSpec("docker", d.file()));
      }
    }
    Path store = request.storeDirectory().orElseGet(Store::defaultRoot);
    long bound;
    try {
      bound = StoreLimits.bound(request.storeMax().orElse(null), System.getenv(), store);
    } catch (IllegalArgumentException e) {
      throw new BuildException(e.getMessage(), "set " + StoreLimits.ENV + " to a size such as 10GiB, or to off", e);
    }
    BuildSpec spec = new BuildSpec(request.context(), request.dockerfile(), request.buildArgs(),
        request.buildContexts(), request.target().orElse(null), request.platform().orElse(null), request.tags(),
        outputs, request.labels(), request.noCache(), store, request.sourceDateEpoch().orElse(0L),
        request.compression().name().toLowerCase(Locale.ROOT), secrets(request), request.sshSockets(),
        request.allowInsecure(), registry(request), request.network(), request.rewriteTimestamp(), cache(request));
    Store opened;
    Lease lease;
    try {
      opened = Store.open(store);
      lease = opened.lease();
    } catch (IOException e) {
      throw new BuildException("cannot open the store " + store + ": " + e.getMessage(), null, e);
    }
    try (Lease held = lease) {
      BuildOutcome outcome = Builder.build(spec, new Events(listener));
      List<StepResult> steps = new ArrayList<>();
      for (BuildOutcome.StepOutcome s : outcome.steps()) {
        steps.add(new StepResult(Events.id(s.step()), s.cacheKey().toString(), s.cached(), s.elapsed()));
      }
      return new BuildResult(outcome.manifestDigest(), outcome.configDigest(), request.tags(), steps,
          Duration.ofNanos(System.nanoTime() - t0));
    } catch (BuildFailure f) {
      throw new BuildException(f.getMessage(), f.hint(), f);
    } catch (IOException e) {
      throw new BuildException(e.getMessage() == null ? e.toString() : e.getMessage(), null, e);
    } finally {
      boundStore(opened, bound, listener);
    }
  }

  /** Applies the store bound after a build (see {@link StoreLimits}); a failure is reported, not thrown. */
  private static void boundStore(Store store, long bound, BuildListener listener) {
    if (bound == StoreLimits.OFF) {
      return;
    }
    try {
      GcReport r = store.gc(bound);
      if (r.bytesFreed() > 0) {
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
    long t0 = System.nanoTime();
    ImagePublisher.PushSpec spec = new ImagePublisher.PushSpec(request.image(), request.destinations(),
        request.storeDirectory().orElseGet(Store::defaultRoot),
        new BuildSpec.RegistrySpec(false, true, request.insecureRegistries(), logins(request.registryCredentials())));
    try {
      ImagePublisher.Pushed p = ImagePublisher.push(spec, new Events(request.listener()));
      return new PushResult(p.manifestDigest(), p.destinations(), p.uploaded(), p.mounted(), p.skipped(),
          Duration.ofNanos(System.nanoTime() - t0));
    } catch (BuildFailure f) {
      throw new BuildException(f.getMessage(), f.hint(), f);
    }
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

  private static BuildSpec.RegistrySpec registry(BuildRequest request) {
    return new BuildSpec.RegistrySpec(request.pull(), request.push(), request.insecureRegistries(),
        logins(request.registryCredentials()));
  }

  /** Explicit registry logins as the builder takes them. */
  private static Map<String, Credentials.Secret> logins(Map<String, BuildRequest.RegistryLogin> given) {
    Map<String, Credentials.Secret> logins = new LinkedHashMap<>();
    given.forEach((host, l) -> logins.put(host, new Credentials.Secret(l.user(), l.secret())));
    return logins;
  }

  /** Turns builder observations into {@link BuildEvent}s. */
  private static final class Events implements BuildObserver {
    private final BuildListener listener;

    Events(BuildListener listener) {
      this.listener = listener;
    }

    static BuildEvent.StepId id(StepRef s) {
      return new BuildEvent.StepId(s.stage(), s.number(), s.count(), s.text());
    }

    @Override
    public void planned(int steps) {
      listener.onEvent(new BuildEvent.Planned(steps));
    }

    @Override
    public void started(StepRef step) {
      listener.onEvent(new BuildEvent.Started(id(step)));
    }

    @Override
    public void cached(StepRef step) {
      listener.onEvent(new BuildEvent.Cached(id(step)));
    }

    @Override
    public void done(StepRef step, Duration elapsed) {
      listener.onEvent(new BuildEvent.Done(id(step), elapsed));
    }

    @Override
    public void missed(StepRef step, String reason) {
      listener.onEvent(new BuildEvent.CacheMiss(id(step), reason));
    }

    @Override
    public void failed(StepRef step, String message) {
      listener.onEvent(new BuildEvent.Failed(id(step), message));
    }

    @Override
    public void output(StepRef step, String line) {
      listener.onEvent(new BuildEvent.Output(id(step), line));
    }

    @Override
    public void message(String text) {
      listener.onEvent(new BuildEvent.Message(text));
    }
  }

  private static Map<String, BuildSpec.Secret> secrets(BuildRequest request) {
    Map<String, BuildSpec.Secret> out = new java.util.LinkedHashMap<>();
    request.secretFiles().forEach((id, f) -> out.put(id, new BuildSpec.Secret(f, null)));
    request.secretEnvVars().forEach((id, v) -> out.put(id, new BuildSpec.Secret(null, v)));
    return out;
  }
}
