package dev.gantry.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A request to push an image that is already built, as {@code docker push} does: an image of the
 * local store (by the tag a build gave it) or of an OCI image layout ({@code oci-layout://DIR[:TAG]}),
 * to one or more registry references. Immutable; made with {@link #builder}.
 *
 * <pre>{@code
 * PushResult r = new Gantry().push(PushRequest.builder("registry.example/app:1").build());
 * }</pre>
 */
public final class PushRequest {
  private final String image;
  private final List<String> destinations;
  private final Path storeDirectory;
  private final Set<String> insecureRegistries;
  private final Map<String, RegistryLogin> registryCredentials;
  private final BuildListener listener;

  private PushRequest(Builder b) {
    this.image = b.image;
    this.destinations = List.copyOf(b.destinations);
    this.storeDirectory = b.storeDirectory;
    this.insecureRegistries = Set.copyOf(b.insecureRegistries);
    this.registryCredentials = Map.copyOf(b.registryCredentials);
    this.listener = b.listener;
  }

  /** A request to push {@code image}: a tag in the local store, or {@code oci-layout://DIR[:TAG]}. */
  public static Builder builder(String image) {
    return new Builder(image);
  }

  /** The image to push. */
  public String image() {
    return image;
  }

  /** Where to push it; empty means the image's own tag. */
  public List<String> destinations() {
    return destinations;
  }

  /** The local store directory, when not the default. */
  public Optional<Path> storeDirectory() {
    return Optional.ofNullable(storeDirectory);
  }

  /** Registries (host or host:port) reached over plain HTTP; loopback registries always are. */
  public Set<String> insecureRegistries() {
    return insecureRegistries;
  }

  /** Explicit credentials by registry, used before the docker config. */
  public Map<String, RegistryLogin> registryCredentials() {
    return registryCredentials;
  }

  /** Who hears about the push's progress. */
  public BuildListener listener() {
    return listener;
  }

  /** Collects the fields of a {@link PushRequest}. Not thread-safe. */
  public static final class Builder {
    private final String image;
    private final List<String> destinations = new ArrayList<>();
    private Path storeDirectory;
    private final Set<String> insecureRegistries = new TreeSet<>();
    private final Map<String, RegistryLogin> registryCredentials = new LinkedHashMap<>();
    private BuildListener listener = BuildListener.NONE;

    private Builder(String image) {
      this.image = Objects.requireNonNull(image, "image");
    }

    /** Pushes to {@code reference} (repeatable) instead of the image's own tag. */
    public Builder destination(String reference) {
      destinations.add(Objects.requireNonNull(reference));
      return this;
    }

    public Builder storeDirectory(Path value) {
      this.storeDirectory = Objects.requireNonNull(value);
      return this;
    }

    public Builder insecureRegistry(String registry) {
      insecureRegistries.add(Objects.requireNonNull(registry));
      return this;
    }

    /** Credentials for {@code registry} (a host, or host:port), used before the docker config. */
    public Builder registryCredentials(String registry, String user, String secret) {
      registryCredentials.put(Objects.requireNonNull(registry), new RegistryLogin(user, secret));
      return this;
    }

    public Builder listener(BuildListener value) {
      this.listener = Objects.requireNonNull(value);
      return this;
    }

    public PushRequest build() {
      return new PushRequest(this);
    }
  }
}
