package dev.gantry.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where registry credentials come from: explicit ones given per registry host first, then the
 * docker config ({@code $DOCKER_CONFIG/config.json} or {@code ~/.docker/config.json}: {@code auths}
 * with {@code auth} or {@code identitytoken}, {@code credHelpers}, {@code credsStore}; see
 * {@link DockerConfig}). This class is immutable and thread-safe.
 */
public final class Credentials {
  /**
   * A user name and its secret (a password, a token, or an identity token when {@link #user} is
   * {@code <token>}). {@link #toString} never shows the secret.
   */
  public record Secret(String user, String secret) {
    /** The user name docker config uses for identity (refresh) tokens. */
    public static final String IDENTITY_TOKEN_USER = "<token>";

    public Secret {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(secret, "secret");
    }

    /** True when {@link #secret} is an OAuth2 refresh token rather than a password. */
    public boolean isIdentityToken() {
      return IDENTITY_TOKEN_USER.equals(user);
    }

    @Override
    public String toString() {
      return "Secret[user=" + user + ", secret=***]";
    }
  }

  private final Map<String, Secret> explicit;
  private final Path dockerConfig;

  private Credentials(Map<String, Secret> explicit, Path dockerConfig) {
    this.explicit = Map.copyOf(explicit);
    this.dockerConfig = dockerConfig;
  }

  /** Explicit credentials by registry host, then the docker config of this environment. */
  public static Credentials of(Map<String, Secret> explicit) {
    return new Credentials(explicit, defaultDockerConfig());
  }

  /** Explicit credentials by registry host, then the docker config file {@code configJson} (may be null). */
  public static Credentials of(Map<String, Secret> explicit, Path configJson) {
    return new Credentials(explicit, configJson);
  }

  /** No credentials at all (anonymous access only). */
  public static Credentials none() {
    return new Credentials(Map.of(), null);
  }

  /** {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}. */
  static Path defaultDockerConfig() {
    String env = System.getenv("DOCKER_CONFIG");
    if (env != null && !env.isBlank()) {
      return Path.of(env, "config.json");
    }
    return Path.of(System.getProperty("user.home"), ".docker", "config.json");
  }

  /** The credentials for {@code ref}'s registry, if any are known. */
  public Optional<Secret> lookup(ImageReference ref) {
    for (String key : List.of(ref.registry(), ref.endpoint(), ref.host())) {
      Secret s = explicit.get(key);
      if (s != null) {
        return Optional.of(s);
      }
    }
    if (dockerConfig == null || !Files.isRegularFile(dockerConfig)) {
      return Optional.empty();
    }
    try {
      return DockerConfig.parse(Files.readAllBytes(dockerConfig)).lookup(ref.registry());
    } catch (IOException e) {
      // an unreadable config counts as no credentials; the registry's 401 then says how to log in
      return Optional.empty();
    }
  }
}
