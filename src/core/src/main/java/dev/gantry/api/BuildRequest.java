package dev.gantry.api;

import dev.gantry.ast.NetworkMode;
import dev.gantry.model.BuildListener;
import dev.gantry.model.Output;
import dev.gantry.model.RegistryLogin;
import dev.gantry.oci.Compression;
import dev.gantry.oci.Platform;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything one build needs: the Dockerfile, the context, arguments and where the image goes.
 * Built with {@link #builder(Path)}; the flags mean what they mean for {@code docker buildx build}.
 *
 * <p>This class is immutable and thread-safe.
 */
public final class BuildRequest {
  private final RequestFields f;

  private BuildRequest(Builder b) {
    this.f = b.f.frozen();
  }

  /** Build secrets read from files, by id ({@code --secret id=ID,src=FILE}). */
  public Map<String, Path> secretFiles() {
    return f.secretFiles;
  }

  /** Build secrets read from environment variables of this process, by id ({@code --secret id=ID,env=VAR}). */
  public Map<String, String> secretEnvVars() {
    return f.secretEnvVars;
  }

  /** SSH agent sockets by id ({@code --ssh default=$SSH_AUTH_SOCK}). */
  public Map<String, Path> sshSockets() {
    return f.sshSockets;
  }

  /** Whether {@code RUN --security=insecure} may run privileged ({@code --allow security.insecure}). */
  public boolean allowInsecure() {
    return f.allowInsecure;
  }

  /** Starts a request for the build context directory {@code context}. */
  public static Builder builder(Path context) {
    return new Builder(context);
  }

  /** The build context directory. */
  public Path context() {
    return f.context;
  }

  /** The Dockerfile (default {@code CONTEXT/Dockerfile}). */
  public Path dockerfile() {
    return f.dockerfile;
  }

  /** {@code --build-arg} values. */
  public Map<String, String> buildArgs() {
    return f.buildArgs;
  }

  /** {@code --build-context NAME=LOCATION} values: a directory or {@code oci-layout://DIR[:TAG]}. */
  public Map<String, String> buildContexts() {
    return f.buildContexts;
  }

  /** The target stage, if any (default: the last stage). */
  public Optional<String> target() {
    return Optional.ofNullable(f.target);
  }

  /** The target platform such as {@code linux/amd64}, if set (default: the build platform). */
  public Optional<Platform> platform() {
    return Optional.ofNullable(f.platform);
  }

  /** Image references to tag the result with. */
  public List<String> tags() {
    return f.tags;
  }

  /** Outputs besides the local store. */
  public List<Output> outputs() {
    return f.outputs;
  }

  /** {@code --label} values added to the final image. */
  public Map<String, String> labels() {
    return f.labels;
  }

  /** The network RUN steps get unless they say otherwise. */
  public NetworkMode network() {
    return f.network;
  }

  /** How RUN commands are isolated ({@link Isolation#AUTO} unless set). */
  public Isolation isolation() {
    return f.isolation;
  }

  /** True to ignore cached results (every step runs). */
  public boolean noCache() {
    return f.noCache;
  }

  /** The local store directory, if not the default ({@code $GANTRY_HOME} or {@code ~/.cache/gantry}). */
  public Optional<Path> storeDirectory() {
    return Optional.ofNullable(f.storeDirectory);
  }

  /**
   * The store's size bound applied after the build, if set here (else {@code GANTRY_STORE_MAX}, else
   * {@link StoreLimits#defaultBound}); {@link StoreLimits#OFF} for none.
   */
  public Optional<Long> storeMax() {
    return Optional.ofNullable(f.storeMax);
  }

  /** SOURCE_DATE_EPOCH in seconds, if set (default 0): the image's times and those of files copied from contexts. */
  public Optional<Long> sourceDateEpoch() {
    return Optional.ofNullable(f.sourceDateEpoch);
  }

  /**
   * True to clamp the time of every file a step writes into a new layer to the epoch (BuildKit's
   * {@code rewrite-timestamp=true}); false (the default) keeps the times RUN commands, archives and
   * copied images gave them.
   */
  public boolean rewriteTimestamp() {
    return f.rewriteTimestamp;
  }

  /** Layer compression (default gzip). */
  public Compression compression() {
    return f.compression;
  }

  /** Who receives build events. */
  public BuildListener listener() {
    return f.listener;
  }

  /** True to ask registries for base images even when the store resolved them before ({@code --pull}). */
  public boolean pull() {
    return f.pull;
  }

  /** True to push the image to every tag ({@code --push}). */
  public boolean push() {
    return f.push;
  }

  /** Registries (host or host:port) reached over plain HTTP; loopback registries always are. */
  public Set<String> insecureRegistries() {
    return f.insecureRegistries;
  }

  /** Explicit registry credentials by registry host; other registries use the docker config. */
  public Map<String, RegistryLogin> registryCredentials() {
    return f.registryCredentials;
  }

  /** Caches whose results steps may reuse ({@code --cache-from}), in order of preference. */
  public List<CacheLocation> cacheFrom() {
    return f.cacheFrom;
  }

  /** Where the build's cache results are exported after it succeeded ({@code --cache-to}). */
  public List<CacheExport> cacheTo() {
    return f.cacheTo;
  }

  /** Collects the fields of a {@link BuildRequest}. Not thread-safe. */
  public static final class Builder {
    private final RequestFields f;

    private Builder(Path context) {
      this.f = new RequestFields(context);
    }

    public Builder dockerfile(Path value) {
      f.dockerfile = value;
      return this;
    }

    public Builder buildArg(String name, String value) {
      f.buildArgs.put(name, value);
      return this;
    }

    public Builder buildContext(String name, String location) {
      f.buildContexts.put(name, location);
      return this;
    }

    public Builder target(String value) {
      f.target = value;
      return this;
    }

    /**
     * The platform to build for, {@code os/arch[/variant]} (see {@link Platform#parse}).
     *
     * @throws IllegalArgumentException when {@code value} names no platform images are made for; the
     *     message starts with {@code --platform}
     */
    public Builder platform(String value) {
      try {
        return platform(Platform.parse(value));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--platform " + e.getMessage(), e);
      }
    }

    /** The platform to build for. */
    public Builder platform(Platform value) {
      f.platform = Objects.requireNonNull(value, "platform");
      return this;
    }

    public Builder tag(String reference) {
      f.tags.add(reference);
      return this;
    }

    public Builder output(Output value) {
      f.outputs.add(value);
      return this;
    }

    public Builder label(String name, String value) {
      f.labels.put(name, value);
      return this;
    }

    /** Adds build secret {@code id} whose value is the content of {@code file}; it never enters the image. */
    public Builder secret(String id, Path file) {
      f.secretEnvVars.remove(Objects.requireNonNull(id, "id"));
      f.secretFiles.put(id, Objects.requireNonNull(file, "file"));
      return this;
    }

    /** Adds build secret {@code id} whose value is this process's environment variable {@code envVar}. */
    public Builder secretEnv(String id, String envVar) {
      f.secretFiles.remove(Objects.requireNonNull(id, "id"));
      f.secretEnvVars.put(id, Objects.requireNonNull(envVar, "envVar"));
      return this;
    }

    /** Forwards the SSH agent listening on {@code socket} as ssh mount {@code id} (usually {@code default}). */
    public Builder ssh(String id, Path socket) {
      f.sshSockets.put(Objects.requireNonNull(id, "id"), Objects.requireNonNull(socket, "socket"));
      return this;
    }

    /** Lets {@code RUN --security=insecure} run with every capability (default: refused). */
    public Builder allowInsecure(boolean value) {
      f.allowInsecure = value;
      return this;
    }

    /**
     * The network of RUN steps without {@code --network} ({@code docker build --network}):
     * {@code default}, {@code none} or {@code host}.
     *
     * @throws IllegalArgumentException for another value
     */
    public Builder network(String value) {
      return network(NetworkMode.named(value).orElseThrow(
          () -> new IllegalArgumentException("--network must be default, none or host, not '" + value + "'")));
    }

    /** The network of RUN steps without {@code --network}. */
    public Builder network(NetworkMode value) {
      f.network = Objects.requireNonNull(value, "network");
      return this;
    }

    /** How RUN commands are isolated ({@code --isolation}; default {@link Isolation#AUTO}). */
    public Builder isolation(Isolation value) {
      f.isolation = Objects.requireNonNull(value, "isolation");
      return this;
    }

    public Builder noCache(boolean value) {
      f.noCache = value;
      return this;
    }

    public Builder storeDirectory(Path value) {
      f.storeDirectory = value;
      return this;
    }

    /**
     * Bounds the store: after the build, least recently used cache data is evicted (tagged images
     * are kept) until the store holds at most {@code bytes}; {@link StoreLimits#OFF} for no bound.
     */
    public Builder storeMax(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("negative store bound: " + bytes);
      }
      f.storeMax = bytes;
      return this;
    }

    public Builder sourceDateEpoch(long seconds) {
      f.sourceDateEpoch = seconds;
      return this;
    }

    /** Clamps the times of files written into new layers to the epoch ({@code --rewrite-timestamp}). */
    public Builder rewriteTimestamp(boolean value) {
      f.rewriteTimestamp = value;
      return this;
    }

    public Builder compression(Compression value) {
      f.compression = Objects.requireNonNull(value);
      return this;
    }

    public Builder listener(BuildListener value) {
      f.listener = Objects.requireNonNull(value);
      return this;
    }

    public Builder pull(boolean value) {
      f.pull = value;
      return this;
    }

    public Builder push(boolean value) {
      f.push = value;
      return this;
    }

    public Builder insecureRegistry(String registry) {
      f.insecureRegistries.add(Objects.requireNonNull(registry));
      return this;
    }

    /** Credentials for {@code registry} (a host, or host:port), used before the docker config. */
    public Builder registryCredentials(String registry, String user, String secret) {
      f.registryCredentials.put(Objects.requireNonNull(registry), new RegistryLogin(user, secret));
      return this;
    }

    /**
     * Lets steps reuse the results of a cache another build exported ({@code --cache-from}): a hit
     * downloads no layer until a step needs its files. Whoever can write the cache controls what
     * the build reuses.
     */
    public Builder cacheFrom(CacheLocation location) {
      f.cacheFrom.add(Objects.requireNonNull(location, "location"));
      return this;
    }

    /** Exports the build's cache results after it succeeded ({@code --cache-to}); a failed export is a warning. */
    public Builder cacheTo(CacheExport export) {
      f.cacheTo.add(Objects.requireNonNull(export, "export"));
      return this;
    }

    public BuildRequest build() {
      return new BuildRequest(this);
    }
  }
}
