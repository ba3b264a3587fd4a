package dev.gantry.store;

import dev.gantry.oci.Digest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The cached result of one build step, stored under its cache key: the layers it produced (often
 * none or one), free-form JSON text describing its image-config changes, free-form string
 * attributes, and the key's preimage (the canonical text the key was hashed from) so that a later
 * build can explain a miss.
 *
 * <p>This class is immutable and thread-safe; {@code attributes} iterate in key order.
 */
public record CacheRecord(List<CachedLayer> layers, String configJson, Map<String, String> attributes,
    String preimage) {
  public CacheRecord {
    layers = List.copyOf(layers);
    Objects.requireNonNull(configJson, "configJson");
    attributes = Collections.unmodifiableMap(new TreeMap<>(Map.copyOf(attributes)));
    Objects.requireNonNull(preimage, "preimage");
  }

  /** A record of a step that produced {@code layer} and changed nothing in the config. */
  public static CacheRecord ofLayer(String preimage, CachedLayer layer) {
    return new CacheRecord(List.of(layer), "", Map.of(), preimage);
  }

  /** A record of a step that produced no layer, only config changes ({@code configJson}). */
  public static CacheRecord ofConfig(String preimage, String configJson) {
    return new CacheRecord(List.of(), configJson, Map.of(), preimage);
  }

  /** This record with one more attribute. */
  public CacheRecord withAttribute(String name, String value) {
    Map<String, String> copy = new TreeMap<>(attributes);
    copy.put(name, value);
    return new CacheRecord(layers, configJson, copy, preimage);
  }

  /** The digests of every blob this record needs; if one is missing the record is a miss. */
  public List<Digest> blobs() {
    List<Digest> out = new ArrayList<>(layers.size());
    for (CachedLayer layer : layers) {
      out.add(layer.digest());
    }
    return out;
  }
}
