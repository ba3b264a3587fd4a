package dev.gantry.oci;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An OCI content descriptor: what a blob is (media type), its digest and size, plus optional
 * annotations, platform and URLs.
 *
 * <p>This class is immutable; annotations are kept sorted by key; {@code platform} may be null.
 */
public record Descriptor(String mediaType, Digest digest, long size, Map<String, String> annotations,
    Platform platform, List<String> urls) {

  public Descriptor {
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(digest, "digest");
    if (size < 0) {
      throw new IllegalArgumentException("negative size " + size);
    }
    annotations = sortedCopy(annotations);
    urls = urls == null ? List.of() : List.copyOf(urls);
  }

  /** A descriptor with no annotations, platform or URLs. */
  public static Descriptor of(String mediaType, Digest digest, long size) {
    return new Descriptor(mediaType, digest, size, Map.of(), null, List.of());
  }

  /** The descriptor of {@code bytes} with the given media type. */
  public static Descriptor of(String mediaType, byte[] bytes) {
    return of(mediaType, Digest.sha256(bytes), bytes.length);
  }

  /** A copy with {@code key=value} added to (or replaced in) the annotations. */
  public Descriptor withAnnotation(String key, String value) {
    Map<String, String> m = new TreeMap<>(annotations);
    m.put(key, value);
    return new Descriptor(mediaType, digest, size, m, platform, urls);
  }

  /** A copy with exactly these annotations. */
  public Descriptor withAnnotations(Map<String, String> newAnnotations) {
    return new Descriptor(mediaType, digest, size, newAnnotations, platform, urls);
  }

  /** A copy with the given platform (null for none). */
  public Descriptor withPlatform(Platform p) {
    return new Descriptor(mediaType, digest, size, annotations, p, urls);
  }

  /** A copy with the given media type. */
  public Descriptor withMediaType(String type) {
    return new Descriptor(type, digest, size, annotations, platform, urls);
  }

  static <V> Map<String, V> sortedCopy(Map<String, V> m) {
    if (m == null || m.isEmpty()) {
      return Collections.emptySortedMap();
    }
    TreeMap<String, V> t = new TreeMap<>(JsonText.GO_KEY_ORDER);
    m.forEach((k, v) -> t.put(Objects.requireNonNull(k), Objects.requireNonNull(v)));
    return Collections.unmodifiableSortedMap(t);
  }
}
