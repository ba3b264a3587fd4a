package dev.gantry.registry;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image reference normalised as docker does: {@code ubuntu} is
 * {@code docker.io/library/ubuntu:latest}; a reference may carry a tag, a digest or both.
 *
 * <p>The grammar is docker's {@code [registry/]path[:tag][@digest]}: the registry is host name
 * components separated by dots with an optional port; a path is lower-case components separated by
 * {@code /}, each letters and digits joined by {@code .}, {@code _}, {@code __} or dashes; a tag is at
 * most 128 word characters, dots and dashes, not starting with a dot or a dash; a digest is
 * {@code sha256:} and 64 lower-case hex digits. A first component is the registry only when it has a
 * dot or a colon or is {@code localhost}; otherwise it is part of the path on Docker Hub. Narrower than
 * docker: no bracketed IPv6 registry, only sha256 digests, and an upper-case first component is refused
 * rather than taken for a registry; wider: no 255-character limit on the name.
 *
 * @param registry the registry host, with its port when given ({@code localhost:5000})
 * @param repository the repository path ({@code library/ubuntu})
 * @param tag the tag, or null when only a digest was given
 * @param digest the {@code sha256:...} digest, or null
 */
public record ImageReference(String registry, String repository, String tag, String digest) {
  /** The registry unqualified names live on. */
  public static final String DOCKER_HUB = "docker.io";
  // Constant expressions: javac joins them, so loading this class compiles one pattern and formats nothing.
  private static final String HOST_COMPONENT = "[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?";
  private static final String HOST = HOST_COMPONENT + "(?:\\." + HOST_COMPONENT + ")*(?::[0-9]+)?";
  private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
  private static final String PATH = PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
  private static final String TAG = "\\w[\\w.-]{0,127}";
  private static final String DIGEST = "sha256:[a-f0-9]{64}";
  /** Groups: registry, path, tag, digest. {@code $} also matches before one final line end. */
  private static final Pattern REFERENCE =
      Pattern.compile("^(?:(" + HOST + ")/)?(" + PATH + ")(?::(" + TAG + "))?(?:@(" + DIGEST + "))?$");

  public ImageReference {
    Objects.requireNonNull(registry, "registry");
    Objects.requireNonNull(repository, "repository");
    if (tag == null && digest == null) {
      tag = "latest";
    }
  }

  /**
   * Parses {@code text} the way docker does. {@code scratch}, the empty image, has no registry.
   *
   * @throws IllegalArgumentException when it is not a valid reference
   */
  public static ImageReference parse(String text) {
    if (text.equals("scratch")) {
      return new ImageReference("", "scratch", null, null);
    }
    Matcher m = REFERENCE.matcher(text);
    if (!m.find()) {
      throw invalid(text, "");
    }
    String registry = m.group(1);
    String repository = m.group(2);
    if (registry == null) {
      registry = DOCKER_HUB;
    } else if (registry.indexOf('.') < 0 && registry.indexOf(':') < 0 && !registry.equals("localhost")) {
      if (!registry.toLowerCase(Locale.ROOT).equals(registry)) {
        throw invalid(text, " (repository names are lower case)");
      }
      repository = registry + "/" + repository;
      registry = DOCKER_HUB;
    } else if (registry.equals("index.docker.io") || registry.equals("registry-1.docker.io")) {
      registry = DOCKER_HUB;
    }
    if (registry.equals(DOCKER_HUB) && repository.indexOf('/') < 0) {
      repository = "library/" + repository;
    }
    return new ImageReference(registry, repository, m.group(3), m.group(4));
  }

  private static IllegalArgumentException invalid(String text, String hint) {
    return new IllegalArgumentException("not a valid image reference: \"" + text + "\"" + hint);
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
