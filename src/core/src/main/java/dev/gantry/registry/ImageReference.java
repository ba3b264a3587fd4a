package dev.gantry.registry;

import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import java.util.Objects;

/**
 * An image reference normalised as docker does: {@code ubuntu} is
 * {@code docker.io/library/ubuntu:latest}; a reference may carry a tag, a digest or both.
 *
 * @param registry the registry host, with its port when given ({@code localhost:5000})
 * @param repository the repository path ({@code library/ubuntu})
 * @param tag the tag, or null when only a digest was given
 * @param digest the {@code sha256:...} digest, or null
 */
public record ImageReference(String registry, String repository, String tag, String digest) {
  /** The registry unqualified names live on. */
  public static final String DOCKER_HUB = "docker.io";
  private static final java.util.regex.Pattern REPOSITORY = java.util.regex.Pattern.compile(
      "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");

  public ImageReference {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(repository, "repository");
    if (tag == null && digest == null) {
      tag = "latest";
    }
  }

  /**
   * Parses {@code text} the way docker does.
   *
   * @throws IllegalArgumentException when it is not a valid reference
   */
  public static ImageReference parse(String text) {
    try {
      com.google.cloud.tools.jib.api.ImageReference r = com.google.cloud.tools.jib.api.ImageReference.parse(text);
      String registry = r.getRegistry();
      String repository = r.getRepository();
      if ("registry-1.docker.io".equals(registry) || "index.docker.io".equals(registry)) {
        registry = DOCKER_HUB;
      }
      if (DOCKER_HUB.equals(registry) && repository.indexOf('/') < 0) {
        repository = "library/" + repository;
      }
      if (!REPOSITORY.matcher(repository).matches()) {
        throw new IllegalArgumentException("not a valid image reference: \"" + text + "\" (repository names are"
            + " lower case)");
      }
      return new ImageReference(registry, repository, r.getTag().orElse(null), r.getDigest().orElse(null));
    } catch (InvalidImageReferenceException e) {
      throw new IllegalArgumentException("not a valid image reference: \"" + text + "\"", e);
    }
  }

  /** The digest if there is one, else the tag: what the manifest endpoint is asked for. */
  public String qualifier() {
    return digest != null ? digest : tag;
  }

  /** This repository with another tag (and no digest). */
  public ImageReference withTag(String newTag) {
    return new ImageReference(registry, repository, newTag, null);
  }

  /** True for {@code localhost}, {@code 127.0.0.0/8} and {@code [::1]}, with or without a port. */
  public boolean isLoopback() {
    String host = host();
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
  }

  /** The registry host without its port. */
  public String host() {
    if (registry.startsWith("[")) {
      int end = registry.indexOf(']');
      return registry.substring(0, end + 1);
    }
    int colon = registry.lastIndexOf(':');
    return colon < 0 ? registry : registry.substring(0, colon);
  }

  /** The HTTP endpoint host of the registry ({@code registry-1.docker.io} for Docker Hub). */
  public String endpoint() {
    return DOCKER_HUB.equals(registry) ? "registry-1.docker.io" : registry;
  }

  /** The full form, {@code registry/repository[:tag][@digest]}. */
  @Override
  public String toString() {
    return registry + "/" + repository + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
  }
}
