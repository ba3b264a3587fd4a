package dev.gantry.oci;

import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A single-platform image as the blobs that make it up: manifest, config and layers (base first).
 *
 * <p>This class is immutable; the manifest blob's bytes describe exactly the config and layers.
 */
public record Image(Blob manifest, Blob config, List<Blob> layers) {

  public Image {
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(config, "config");
    layers = List.copyOf(layers);
  }

  /**
   * An OCI image of {@code config} and {@code layers}, with the manifest made deterministically.
   * Layers described with Docker types (from a Docker schema 2 base) get their OCI types: one
   * manifest has one format throughout.
   */
  public static Image oci(ImageConfig config, List<Blob> layers) {
    return of(MediaType.OCI_MANIFEST, Blobs.of(MediaType.OCI_CONFIG, config.toJson()), layers);
  }

  /**
   * A Docker schema 2 image of {@code config} and {@code layers}, layers described with Docker
   * types; an OCI image when a layer has no Docker type (zstd).
   */
  public static Image docker(ImageConfig config, List<Blob> layers) {
    return of(MediaType.DOCKER_MANIFEST, Blobs.of(MediaType.DOCKER_CONFIG, config.toJson()), layers);
  }

  /** This image with Docker schema 2 types throughout, or itself when a blob has no Docker type. */
  public Image withDockerTypes() {
    return dockerable(config, layers) ? of(MediaType.DOCKER_MANIFEST, config, layers) : this;
  }

  private static boolean dockerable(Blob config, List<Blob> layers) {
    return MediaType.toDocker(config.descriptor().mediaType()) != null
        && layers.stream().allMatch(l -> MediaType.toDocker(l.descriptor().mediaType()) != null);
  }

  private static Image of(String manifestType, Blob config, List<Blob> layers) {
    boolean docker = manifestType.equals(MediaType.DOCKER_MANIFEST) && dockerable(config, layers);
    UnaryOperator<Blob> typed = b -> Blobs.withMediaType(b, docker
        ? MediaType.toDocker(b.descriptor().mediaType()) : MediaType.toOci(b.descriptor().mediaType()));
    Blob cfg = typed.apply(config);
    List<Blob> ls = layers.stream().map(typed).toList();
    List<Descriptor> ds = ls.stream().map(Blob::descriptor).toList();
    Manifest m = docker ? Manifest.docker(cfg.descriptor(), ds) : Manifest.oci(cfg.descriptor(), ds);
    return new Image(Blobs.of(m.mediaType(), m.toJson()), cfg, ls);
  }

  /** Every blob of the image: config, layers, then the manifest. */
  public List<Blob> blobs() {
    List<Blob> all = new java.util.ArrayList<>(layers.size() + 2);
    all.add(config);
    all.addAll(layers);
    all.add(manifest);
    return all;
  }
}
