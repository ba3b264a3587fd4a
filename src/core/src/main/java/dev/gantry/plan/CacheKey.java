package dev.gantry.plan;

import dev.gantry.oci.Digest;
import dev.gantry.oci.JsonText;
import java.util.Map;
import java.util.Objects;

/**
 * A step's cache key: the sha256 of a canonical JSON preimage that lists everything the step's
 * result depends on (parent key, the instruction after expansion, platform, visible ARG/ENV values,
 * and the content digests of its inputs). The preimage is kept so that a miss can be explained.
 *
 * <p>This class is immutable and thread-safe.
 */
public record CacheKey(Digest digest, String preimage) {
  /** Version of the key format; bump it when the preimage's meaning changes. */
  public static final String VERSION = "gantry-cache-v2";

  public CacheKey {
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(preimage, "preimage");
  }

  /** The key of a preimage document (a map of JSON-able values; the version is added). */
  public static CacheKey of(Map<String, ?> fields) {
    java.util.TreeMap<String, Object> doc = new java.util.TreeMap<>(fields);
    doc.put("v", VERSION);
    String text = JsonText.canonical(doc);
    return new CacheKey(Digest.sha256(text), text);
  }

  @Override
  public String toString() {
    return digest.toString();
  }
}
