package dev.gantry.oci;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An image manifest (OCI image manifest or Docker schema 2 manifest): the config descriptor and
 * the layer descriptors, base layer first.
 *
 * <p>This class is immutable. {@code mediaType} is the manifest's own media type, written into the
 * document; {@code subject} may be null.
 */
public record Manifest(int schemaVersion, String mediaType, String artifactType, Descriptor config,
    List<Descriptor> layers, Descriptor subject, Map<String, String> annotations) {

  public Manifest {
    Objects.requireNonNull(config, "config");
    mediaType = mediaType == null ? "" : mediaType;
    artifactType = artifactType == null ? "" : artifactType;
    layers = List.copyOf(layers);
    annotations = Descriptor.sortedCopy(annotations);
  }

  /** An OCI image manifest for {@code config} and {@code layers}. */
  public static Manifest oci(Descriptor config, List<Descriptor> layers) {
    return new Manifest(2, MediaType.OCI_MANIFEST, "", config, layers, null, Map.of());
  }

  /** A Docker schema 2 manifest for {@code config} and {@code layers}. */
  public static Manifest docker(Descriptor config, List<Descriptor> layers) {
    return new Manifest(2, MediaType.DOCKER_MANIFEST, "", config, layers, null, Map.of());
  }

  /** A copy with exactly these annotations. */
  public Manifest withAnnotations(Map<String, String> newAnnotations) {
    return new Manifest(schemaVersion, mediaType, artifactType, config, layers, subject,
        newAnnotations);
  }

  /** The deterministic JSON bytes of this manifest. */
  public byte[] toJson() {
    return Json.write(this);
  }
}
