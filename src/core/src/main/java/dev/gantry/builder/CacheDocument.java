package dev.gantry.builder;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.oci.Json;
import dev.gantry.store.CachedLayer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The cache document of a registry or directory cache: the config blob of the cache artifact, a
 * versioned JSON map from cache key to what the step produced ({@code {"version":1,"records":[{"key",
 * "parent","preimageSize","layers":[{"digest","diffId","size","mediaType"}],"config","attributes"}],
 * "indexes":{DIFFID:{"digest","size"}}}}, records sorted by key). {@code indexes} names, for layers
 * whose index the exporting store had, a blob holding it, so that a step that needs only what a
 * layer holds (a missed COPY over it) does not download the layer. A step's preimage is a blob of its own, whose digest is the key, listed
 * in the artifact with {@link #PREIMAGE_TYPE}; {@code parent} (the preimage's parent field) lets a
 * missed step find the imported preimage to explain the miss against without fetching them all.
 */
record CacheDocument(List<CacheDocument.Entry> entries, Map<Digest, Descriptor> indexes) {
  /** The media type of the artifact's config: this document. */
  static final String MEDIA_TYPE = "application/vnd.gantry.cache.config.v1+json";
  /** The media type of a preimage blob in the artifact. */
  static final String PREIMAGE_TYPE = "application/vnd.gantry.cache.preimage.v1+json";
  /** The media type of a layer index blob in the artifact (the file form of a {@code store.LayerIndex}). */
  static final String INDEX_TYPE = "application/vnd.gantry.layer-index.v1";
  /** The largest document an import reads. */
  static final long MAX_BYTES = 16L << 20;
  private static final int VERSION = 1;
  private static final JsonFactory JSON = new JsonFactory();

  /**
   * What one step produced.
   *
   * @param key its cache key (the digest of its preimage blob)
   * @param parent the preimage's {@code parent} field (the parent step's key)
   * @param preimageSize the size of the preimage blob
   * @param layers its layers (no {@link CachedLayer#source})
   * @param config its config changes (JSON text)
   * @param attributes its record attributes
   */
  record Entry(Digest key, String parent, long preimageSize, List<CachedLayer> layers, String config,
      Map<String, String> attributes) {
    Entry {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(parent, "parent");
      layers = List.copyOf(layers);
      Objects.requireNonNull(config, "config");
      attributes = Map.copyOf(attributes);
    }

    /** The descriptor of the preimage blob. */
    Descriptor preimage() {
      return Descriptor.of(PREIMAGE_TYPE, key, preimageSize);
    }
  }

  CacheDocument {
    entries = List.copyOf(entries);
    indexes = Map.copyOf(indexes);
  }

  /** The deterministic JSON bytes of this document. */
  byte[] toJson() {
    Map<Digest, Entry> sorted = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
    entries.forEach(e -> sorted.put(e.key(), e));
    List<Object> records = new ArrayList<>();
    for (Entry e : sorted.values()) {
      List<Object> layers = new ArrayList<>();
      for (CachedLayer l : e.layers()) {
        Map<String, Object> layer = new LinkedHashMap<>();
        layer.put("digest", l.digest().toString());
        layer.put("diffId", l.diffId().toString());
        layer.put("size", l.size());
        layer.put("mediaType", l.mediaType());
        layers.add(layer);
      }
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("key", e.key().toString());
      r.put("parent", e.parent());
      r.put("preimageSize", e.preimageSize());
      r.put("layers", layers);
      r.put("config", e.config());
      r.put("attributes", new TreeMap<>(e.attributes()));
      records.add(r);
    }
    Map<String, Object> byDiffId = new TreeMap<>();
    indexes.forEach((diffId, d) -> byDiffId.put(diffId.toString(), blob(d)));
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("version", VERSION);
    doc.put("records", records);
    doc.put("indexes", byDiffId);
    return Json.writeValue(doc).getBytes(StandardCharsets.UTF_8);
  }

  /** Reads a document; an {@link IOException} names what is wrong with it. */
  static CacheDocument parse(byte[] bytes) throws IOException {
    JsonNode doc;
    try {
      doc = Json.readTree(bytes);
    } catch (RuntimeException e) {
      throw new IOException("the cache document is not a JSON object", e);
    }
    if (doc.path("version").asInt(-1) != VERSION) {
      throw new IOException("the cache document has version " + doc.path("version") + ", this Gantry reads "
          + VERSION);
    }
    if (!doc.path("records").isArray()) {
      throw new IOException("the cache document has no records array");
    }
    Map<Digest, Descriptor> indexes = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("indexes").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> i = it.next();
      try {
        indexes.put(Digest.parse(i.getKey()), Descriptor.of(INDEX_TYPE, Digest.parse(text(i.getValue(), "digest")),
            number(i.getValue(), "size")));
      } catch (RuntimeException e) {
        throw new IOException("malformed layer index entry " + i.getKey() + ": " + e.getMessage(), e);
      }
    }
    List<Entry> entries = new ArrayList<>();
    for (JsonNode r : doc.path("records")) {
      try {
        entries.add(entry(r));
      } catch (RuntimeException e) {
        throw new IOException("malformed cache record " + r.path("key").asText("without a key") + ": "
            + e.getMessage(), e);
      }
    }
    return new CacheDocument(entries, indexes);
  }

  private static Map<String, Object> blob(Descriptor d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("digest", d.digest().toString());
    m.put("size", d.size());
    return m;
  }

  private static Entry entry(JsonNode r) {
    List<CachedLayer> layers = new ArrayList<>();
    for (JsonNode l : array(r, "layers")) {
      layers.add(new CachedLayer(Digest.parse(text(l, "digest")), Digest.parse(text(l, "diffId")),
          number(l, "size"), text(l, "mediaType")));
    }
    Map<String, String> attributes = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = r.path("attributes").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> a = it.next();
      if (!a.getValue().isTextual()) {
        throw new IllegalArgumentException("attribute " + a.getKey() + " is not text");
      }
      attributes.put(a.getKey(), a.getValue().asText());
    }
    return new Entry(Digest.parse(text(r, "key")), text(r, "parent"), number(r, "preimageSize"), layers,
        text(r, "config"), attributes);
  }

  private static JsonNode array(JsonNode n, String field) {
    if (!n.path(field).isArray()) {
      throw new IllegalArgumentException("field " + field + " is not an array");
    }
    return n.path(field);
  }

  private static String text(JsonNode n, String field) {
    if (!n.path(field).isTextual()) {
      throw new IllegalArgumentException("field " + field + " is not text");
    }
    return n.path(field).asText();
  }

  private static long number(JsonNode n, String field) {
    if (!n.path(field).canConvertToExactIntegral() || n.path(field).asLong() < 0) {
      throw new IllegalArgumentException("field " + field + " is not a size");
    }
    return n.path(field).asLong();
  }

  /**
   * The {@code parent} field of a preimage (empty when it has none), read without
   * building the document: a preimage over a large context can be megabytes.
   */
  static String parentOf(String preimage) throws IOException {
    try (JsonParser p = JSON.createParser(preimage)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return "";
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("parent")) {
          return value == JsonToken.VALUE_STRING ? p.getText() : "";
        }
        p.skipChildren();
      }
    }
    return "";
  }
}
