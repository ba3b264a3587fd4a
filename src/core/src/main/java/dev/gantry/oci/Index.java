package dev.gantry.oci;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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

  /**
   * The manifest for {@code platform}, chosen as containerd's default matcher does: the same OS and
   * architecture (normalised), and the same variant, else the first whose variant is unset on either
   * side (arm64 images often give none); entries without a platform never match.
   */
  public Optional<Descriptor> forPlatform(Platform platform) {
    Descriptor loose = null;
    for (Descriptor d : manifests) {
      if (d.platform() == null) {
        continue;
      }
      Platform p = Platform.of(d.platform().os(), d.platform().architecture(), d.platform().variant());
      if (!p.os().equals(platform.os()) || !p.architecture().equals(platform.architecture())) {
        continue;
      }
      if (Objects.equals(p.variant(), platform.variant())) {
        return Optional.of(d);
      }
      if (loose == null && (p.variant().isEmpty() || platform.variant().isEmpty())) {
        loose = d;
      }
    }
    return Optional.ofNullable(loose);
  }

  /** The deterministic JSON bytes of this index. */
  public byte[] toJson() {
    return Json.write(this);
  }
}
