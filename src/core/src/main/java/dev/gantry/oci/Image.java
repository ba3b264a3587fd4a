package dev.gantry.oci;

import java.util.List;
import java.util.Objects;

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

  /** An OCI image of {@code config} and {@code layers}, with the manifest made deterministically. */
  public static Image oci(ImageConfig config, List<Blob> layers) {
    Blob cfg = Blobs.of(MediaType.OCI_CONFIG, config.toJson());
    Manifest m = Manifest.oci(cfg.descriptor(), layers.stream().map(Blob::descriptor).toList());
    return new Image(Blobs.of(MediaType.OCI_MANIFEST, m.toJson()), cfg, layers);
  }

  /** A Docker schema 2 image of {@code config} and {@code layers}. */
  public static Image docker(ImageConfig config, List<Blob> layers) {
    Blob cfg = Blobs.of(MediaType.DOCKER_CONFIG, config.toJson());
    Manifest m = Manifest.docker(cfg.descriptor(), layers.stream().map(Blob::descriptor).toList());
    return new Image(Blobs.of(MediaType.DOCKER_MANIFEST, m.toJson()), cfg, layers);
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
