package dev.gantry.builder;

import dev.gantry.registry.Credentials;
import dev.gantry.registry.Registries;
import dev.gantry.registry.RetryPolicy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything one build needs, in the builder's own terms (the public API maps onto it).
 *
 * @param context the build context directory
 * @param dockerfile the Dockerfile
 * @param buildArgs {@code --build-arg} values
 * @param buildContexts {@code --build-context} values: a directory, or {@code oci-layout://DIR[:TAG]}
 * @param target the target stage, or null
 * @param platform the target platform ({@code os/arch[/variant]}), or null for this machine's
 * @param tags references to tag the image with
 * @param outputs where the image goes besides the store
 * @param labels labels added to the image
 * @param noCache run every step
 * @param storeDirectory the local store
 * @param epoch SOURCE_DATE_EPOCH in seconds
 * @param compression {@code gzip}, {@code zstd} or {@code none}
 * @param secrets build secrets by id, for {@code RUN --mount=type=secret}
 * @param sshSockets SSH agent sockets by id, for {@code RUN --mount=type=ssh}
 * @param allowInsecure whether {@code RUN --security=insecure} may run privileged
 * @param registry how bases are pulled and whether the image is pushed to its tags
 * @param network the network of RUN steps without {@code --network}: default, none or host
 * @param rewriteTimestamp clamp the times of files written into new layers to the epoch
 * @param cache registry or directory caches to import results from and export them to
 */
public record BuildSpec(Path context, Path dockerfile, Map<String, String> buildArgs, Map<String, String> buildContexts,
    String target, String platform, List<String> tags, List<OutputSpec> outputs, Map<String, String> labels,
    boolean noCache, Path storeDirectory, long epoch, String compression, Map<String, Secret> secrets,
    Map<String, Path> sshSockets, boolean allowInsecure, RegistrySpec registry, String network,
    boolean rewriteTimestamp, CacheOptions cache) {

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
   * @param push push the image to every tag
   * @param insecureRegistries registries (host or host:port) reached over plain HTTP besides loopback ones
   * @param credentials explicit credentials by registry host (the docker config is read for the others)
   */
  public record RegistrySpec(boolean pull, boolean push, Set<String> insecureRegistries,
      Map<String, Credentials.Secret> credentials) {
    /** Nothing pulled again, nothing pushed, docker-config credentials. */
    public static final RegistrySpec DEFAULT = new RegistrySpec(false, false, Set.of(), Map.of());

    public RegistrySpec {
      insecureRegistries = Set.copyOf(insecureRegistries);
      credentials = Map.copyOf(credentials);
    }

    /** The registries these options reach (nothing is connected before the first use). */
    Registries registries() {
      return new Registries(new Registries.Options(Credentials.of(credentials), insecureRegistries,
          RetryPolicy.defaults()));
    }
  }

  /** A build without secrets, SSH sockets or insecure steps, with default registry options. */
  public BuildSpec(Path context, Path dockerfile, Map<String, String> buildArgs, Map<String, String> buildContexts,
      String target, String platform, List<String> tags, List<OutputSpec> outputs, Map<String, String> labels,
      boolean noCache, Path storeDirectory, long epoch, String compression) {
    this(context, dockerfile, buildArgs, buildContexts, target, platform, tags, outputs, labels, noCache,
        storeDirectory, epoch, compression, Map.of(), Map.of(), false, RegistrySpec.DEFAULT, "default", false,
        CacheOptions.NONE);
  }

  /** An output: kind {@code oci} (directory), {@code oci-tar} or {@code docker} (tar), and its path. */
  public record OutputSpec(String kind, Path path) {
    public OutputSpec {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(path, "path");
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
    Objects.requireNonNull(cache, "cache");
  }
}
