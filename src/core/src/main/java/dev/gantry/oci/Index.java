package dev.gantry.oci;

import java.util.List;
import java.util.Map;

/**
 * An image index (OCI index or Docker manifest list): descriptors of manifests, one per platform
 * or per tag in an OCI layout's {@code index.json}.
 *
 * <p>This class is immutable; {@code subject} may be null.
 */
public record Index(int schemaVersion, String mediaType, String artifactType,
    List<Descriptor> manifests, Descriptor subject, Map<String, String> annotations) {

  public Index {
    mediaType = mediaType == null ? "" : mediaType;
    artifactType = artifactType == null ? "" : artifactType;
    manifests = List.copyOf(manifests);
    annotations = Descriptor.sortedCopy(annotations);
  }

  /** An OCI index of {@code manifests}. */
  public static Index oci(List<Descriptor> manifests) {
    return new Index(2, MediaType.OCI_INDEX, "", manifests, null, Map.of());
  }

  /** A copy with exactly these manifests. */
  public Index withManifests(List<Descriptor> newManifests) {
    return new Index(schemaVersion, mediaType, artifactType, newManifests, subject, annotations);
  }

  /** The deterministic JSON bytes of this index. */
  public byte[] toJson() {
    return Json.write(this);
  }
}
