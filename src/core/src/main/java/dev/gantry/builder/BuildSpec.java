package dev.gantry.builder;

import dev.gantry.ast.NetworkMode;
import dev.gantry.exec.RunIsolation;
import dev.gantry.model.Output;
import dev.gantry.model.RegistryLogin;
import dev.gantry.oci.Compression;
import dev.gantry.oci.Platform;
import dev.gantry.registry.Credentials;
import dev.gantry.registry.Registries;
import dev.gantry.registry.RetryPolicy;
import dev.gantry.store.Store;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything one build needs, as typed values (the public API fills it through {@link #builder}).
 *
 * @param context the build context directory
 * @param dockerfile the Dockerfile
 * @param buildArgs {@code --build-arg} values
 * @param buildContexts {@code --build-context} values: a directory, or {@code oci-layout://DIR[:TAG]}
 * @param target the target stage, or null
 * @param platform the target platform, or null for this machine's
 * @param tags references to tag the image with
 * @param outputs where the image goes besides the store (files and registries), in this order
 * @param labels labels added to the image
 * @param noCache run every step
 * @param storeDirectory the local store
 * @param epoch SOURCE_DATE_EPOCH in seconds
 * @param compression how new layers are compressed
 * @param secrets build secrets by id, for {@code RUN --mount=type=secret}
 * @param sshSockets SSH agent sockets by id, for {@code RUN --mount=type=ssh}
 * @param allowInsecure whether {@code RUN --security=insecure} may run privileged
 * @param registry how bases are pulled and registries reached
 * @param network the network of RUN steps without {@code --network}
 * @param rewriteTimestamp clamp the times of files written into new layers to the epoch
 * @param isolation how RUN commands are isolated: auto, root, rootless or chroot
 * @param cache registry or directory caches to import results from and export them to
 */
public record BuildSpec(Path context, Path dockerfile, Map<String, String> buildArgs, Map<String, String> buildContexts,
    String target, Platform platform, List<String> tags, List<Output> outputs, Map<String, String> labels,
    boolean noCache, Path storeDirectory, long epoch, Compression compression, Map<String, Secret> secrets,
    Map<String, Path> sshSockets, boolean allowInsecure, RegistrySpec registry, NetworkMode network,
    boolean rewriteTimestamp, RunIsolation.Request isolation, CacheOptions cache) {

  /**
   * Where a build secret's value comes from: a file, or an environment variable of the building
   * process. Its value is read only when a RUN mounts it, and never stored.
   */
  public record Secret(Path file, String env) {
    public Secret {
      if ((file == null) == (env == null)) {
        throw new IllegalArgumentException("a secret comes from exactly one of a file and an environment variable");
      }
    }

    @Override
    public String toString() {
      return file != null ? "Secret[file=" + file + "]" : "Secret[env=" + env + "]";
    }
  }

  /**
   * Registry options of a build.
   *
   * @param pull ask registries for base manifests even when the store resolved the reference before
   * @param insecureRegistries registries (host or host:port) reached over plain HTTP besides loopback ones
   * @param credentials explicit credentials by registry host (the docker config is read for the others)
   */
  public record RegistrySpec(boolean pull, Set<String> insecureRegistries, Map<String, Credentials.Secret> credentials) {
    /** Nothing pulled again, docker-config credentials. */
    public static final RegistrySpec DEFAULT = new RegistrySpec(false, Set.of(), Map.of());

    public RegistrySpec {
      insecureRegistries = Set.copyOf(insecureRegistries);
      credentials = Map.copyOf(credentials);
    }

    /** Options with explicit {@code logins} by registry host. */
    public static RegistrySpec of(boolean pull, Set<String> insecureRegistries, Map<String, RegistryLogin> logins) {
      Map<String, Credentials.Secret> credentials = new LinkedHashMap<>();
      logins.forEach((host, l) -> credentials.put(host, new Credentials.Secret(l.user(), l.secret())));
      return new RegistrySpec(pull, insecureRegistries, credentials);
    }

    /** The registries these options reach (nothing is connected before the first use). */
    Registries registries() {
      return new Registries(new Registries.Options(Credentials.of(credentials), insecureRegistries,
          RetryPolicy.defaults()));
    }
  }

  public BuildSpec {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(dockerfile, "dockerfile");
    buildArgs = Map.copyOf(buildArgs);
    buildContexts = Map.copyOf(buildContexts);
    tags = List.copyOf(tags);
    outputs = List.copyOf(outputs);
    labels = Map.copyOf(labels);
    Objects.requireNonNull(storeDirectory, "storeDirectory");
    Objects.requireNonNull(compression, "compression");
    secrets = Map.copyOf(secrets);
    sshSockets = Map.copyOf(sshSockets);
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(isolation, "isolation");
    Objects.requireNonNull(cache, "cache");
  }

  /**
   * Starts a spec for {@code dockerfile} in {@code context}: no arguments, tags or outputs, the
   * default store, epoch 0, gzip, the default network, default registry options, auto isolation.
   */
  public static Builder builder(Path context, Path dockerfile) {
    return new Builder(context, dockerfile);
  }

  /** Collects the components of a {@link BuildSpec}; each setter replaces the value. Not thread-safe. */
  public static final class Builder {
    private final Path context;
    private final Path dockerfile;
    private Map<String, String> buildArgs = Map.of();
    private Map<String, String> buildContexts = Map.of();
    private String target;
    private Platform platform;
    private List<String> tags = List.of();
    private List<Output> outputs = List.of();
    private Map<String, String> labels = Map.of();
    private boolean noCache;
    private Path storeDirectory;
    private long epoch;
    private Compression compression = Compression.GZIP;
    private final Map<String, Secret> secrets = new LinkedHashMap<>();
    private Map<String, Path> sshSockets = Map.of();
    private boolean allowInsecure;
    private RegistrySpec registry = RegistrySpec.DEFAULT;
    private NetworkMode network = NetworkMode.DEFAULT;
    private boolean rewriteTimestamp;
    private RunIsolation.Request isolation = RunIsolation.Request.AUTO;
    private CacheOptions cache = CacheOptions.NONE;

    private Builder(Path context, Path dockerfile) {
      this.context = context;
      this.dockerfile = dockerfile;
    }

    public Builder buildArgs(Map<String, String> value) {
      this.buildArgs = value;
      return this;
    }

    public Builder buildContexts(Map<String, String> value) {
      this.buildContexts = value;
      return this;
    }

    /** The target stage; null for the last. */
    public Builder target(String value) {
      this.target = value;
      return this;
    }

    /** The target platform; null for this machine's. */
    public Builder platform(Platform value) {
      this.platform = value;
      return this;
    }

    public Builder tags(List<String> value) {
      this.tags = value;
      return this;
    }

    public Builder outputs(List<Output> value) {
      this.outputs = value;
      return this;
    }

    public Builder labels(Map<String, String> value) {
      this.labels = value;
      return this;
    }

    public Builder noCache(boolean value) {
      this.noCache = value;
      return this;
    }

    public Builder storeDirectory(Path value) {
      this.storeDirectory = value;
      return this;
    }

    public Builder epoch(long seconds) {
      this.epoch = seconds;
      return this;
    }

    public Builder compression(Compression value) {
      this.compression = value;
      return this;
    }

    /** Adds build secret {@code id}. */
    public Builder secret(String id, Secret value) {
      secrets.put(id, value);
      return this;
    }

    public Builder sshSockets(Map<String, Path> value) {
      this.sshSockets = value;
      return this;
    }

    public Builder allowInsecure(boolean value) {
      this.allowInsecure = value;
      return this;
    }

    public Builder registry(RegistrySpec value) {
      this.registry = value;
      return this;
    }

    public Builder network(NetworkMode value) {
      this.network = value;
      return this;
    }

    public Builder rewriteTimestamp(boolean value) {
      this.rewriteTimestamp = value;
      return this;
    }

    /** How RUN commands are isolated; auto picks root, rootless or chroot from what this process may do. */
    public Builder isolation(RunIsolation.Request value) {
      this.isolation = value;
      return this;
    }

    /** The caches to import results from and export them to. */
    public Builder cache(CacheOptions value) {
      this.cache = value;
      return this;
    }

    public BuildSpec build() {
      return new BuildSpec(context, dockerfile, buildArgs, buildContexts, target, platform, tags, outputs, labels,
          noCache, storeDirectory != null ? storeDirectory : Store.defaultRoot(), epoch, compression, secrets,
          sshSockets, allowInsecure, registry, network, rewriteTimestamp, isolation, cache);
    }
  }
}
