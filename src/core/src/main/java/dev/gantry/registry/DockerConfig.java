package dev.gantry.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.oci.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The credentials a docker config ({@code config.json}) holds for one registry, read as docker reads
 * them: for each name the registry goes by (Docker Hub has several), an {@code auths} entry's
 * {@code identitytoken} or {@code auth} ({@code base64(user:password)}), then the registry's
 * {@code credHelpers} program, else the {@code credsStore} program, asked through the
 * {@code docker-credential-NAME get} protocol. Entry keys match with or without a scheme and with
 * a path ({@code https://index.docker.io/v1/}). This class is immutable; lookups run helpers.
 */
final class DockerConfig {
  /** How long a credential helper may take before its answer counts as none. */
  private static final long HELPER_SECONDS = 30;
  private static final int MAX_HELPER_OUTPUT = 64 * 1024;

  private final JsonNode root;

  private DockerConfig(JsonNode root) {
    this.root = root;
  }

  /** The config in {@code json}; an unreadable document holds nothing. */
  static DockerConfig parse(byte[] json) {
    try {
      return new DockerConfig(Json.readTree(json));
    } catch (RuntimeException e) {
      return new DockerConfig(Json.readTree("{}".getBytes(StandardCharsets.UTF_8)));
    }
  }

  /** The credentials for {@code registry} (as {@link ImageReference#registry()} names it), if any. */
  Optional<Credentials.Secret> lookup(String registry) {
    for (String alias : aliases(registry)) {
      JsonNode entry = find(root.path("auths"), alias);
      if (entry != null) {
        String token = entry.path("identitytoken").asText("");
        if (!token.isEmpty()) {
          return Optional.of(new Credentials.Secret(Credentials.Secret.IDENTITY_TOKEN_USER, token));
        }
        Optional<Credentials.Secret> auth = decode(entry.path("auth").asText(""));
        if (auth.isPresent()) {
          return auth;
        }
        String user = entry.path("username").asText("");
        String password = entry.path("password").asText("");
        if (!user.isEmpty() && !password.isEmpty()) {
          return Optional.of(new Credentials.Secret(user, password));
        }
      }
      JsonNode helper = find(root.path("credHelpers"), alias);
      String program = helper != null ? helper.asText("") : root.path("credsStore").asText("");
      if (!program.isEmpty()) {
        Optional<Credentials.Secret> asked = ask(program, alias);
        if (asked.isPresent()) {
          return asked;
        }
      }
    }
    return Optional.empty();
  }

  /** The names a registry goes by in docker configs, the most specific first. */
  static List<String> aliases(String registry) {
    if (ImageReference.DOCKER_HUB.equals(registry) || "index.docker.io".equals(registry)
        || "registry-1.docker.io".equals(registry) || "registry.hub.docker.com".equals(registry)) {
      return List.of("https://index.docker.io/v1/", "index.docker.io", "docker.io", "registry-1.docker.io",
          "registry.hub.docker.com");
    }
    return List.of(registry);
  }

  /** The member of {@code object} whose key names {@code registry}: bare, with a scheme, or with a path. */
  private static JsonNode find(JsonNode object, String registry) {
    if (!object.isObject()) {
      return null;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      String bare = key.replaceFirst("^https?://", "");
      if (key.equals(registry) || bare.equals(registry) || bare.startsWith(registry + "/")) {
        return e.getValue();
      }
    }
    return null;
  }

  private static Optional<Credentials.Secret> decode(String auth) {
    if (auth.isEmpty()) {
      return Optional.empty();
    }
    try {
      String plain = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
      int colon = plain.indexOf(':');
      if (colon <= 0 || colon == plain.length() - 1) {
        return Optional.empty();
      }
      return Optional.of(new Credentials.Secret(plain.substring(0, colon), plain.substring(colon + 1)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * Asks {@code docker-credential-PROGRAM get} for {@code server}'s credentials. A helper that is
   * missing, fails, says it has none or answers something unreadable gives none; its output is never
   * echoed (it holds secrets).
   */
  private static Optional<Credentials.Secret> ask(String program, String server) {
    if (!program.matches("[A-Za-z0-9._-]+")) {
      return Optional.empty();
    }
    Process p;
    try {
      p = new ProcessBuilder("docker-credential-" + program, "get").redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      return Optional.empty();
    }
    try (OutputStream in = p.getOutputStream(); InputStream out = p.getInputStream()) {
      in.write((server + "\n").getBytes(StandardCharsets.UTF_8));
      in.close();
      byte[] answer = out.readNBytes(MAX_HELPER_OUTPUT);
      if (!p.waitFor(HELPER_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return Optional.empty();
      }
      JsonNode json = Json.readTree(answer);
      String user = json.path("Username").asText("");
      String secret = json.path("Secret").asText("");
      return user.isEmpty() || secret.isEmpty() ? Optional.empty() : Optional.of(new Credentials.Secret(user, secret));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } finally {
      p.destroyForcibly();
    }
  }
}
