package dev.gantry.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.oci.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON form of a {@link CacheRecord} file: {@code {"schema":1,"key":...,"preimage":...,
 * "layers":[{"digest","diffId","size","mediaType"}],"config":...,"attributes":{...}}}, written with
 * a fixed field order so equal records give equal bytes.
 */
final class CacheRecordCodec {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SCHEMA = 1;

  private CacheRecordCodec() {}

  static byte[] encode(Digest key, CacheRecord record) {
    ObjectNode root = JSON.createObjectNode();
    root.put("schema", SCHEMA);
    root.put("key", key.toString());
    ArrayNode layers = root.putArray("layers");
    for (CachedLayer layer : record.layers()) {
      ObjectNode l = layers.addObject();
      l.put("digest", layer.digest().toString());
      l.put("diffId", layer.diffId().toString());
      l.put("size", layer.size());
      l.put("mediaType", layer.mediaType());
    }
    root.put("config", record.configJson());
    ObjectNode attributes = root.putObject("attributes");
    record.attributes().forEach(attributes::put);
    root.put("preimage", record.preimage());
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root)
          .getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a cache record", e);
    }
  }

  /** Decodes a record file, checking it belongs to {@code key}. */
  static CacheRecord decode(Digest key, byte[] bytes) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new MalformedRecordException("malformed cache record for " + key + ": " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject() || root.path("schema").asInt() != SCHEMA) {
      throw new MalformedRecordException("unsupported cache record for " + key);
    }
    if (!key.toString().equals(root.path("key").asText())) {
      throw new MalformedRecordException("cache record for " + key + " names another key: "
          + root.path("key").asText());
    }
    try {
      List<CachedLayer> layers = new ArrayList<>();
      for (JsonNode l : root.path("layers")) {
        layers.add(new CachedLayer(Digest.parse(text(l, "digest")), Digest.parse(text(l, "diffId")),
            l.path("size").asLong(-1), text(l, "mediaType")));
      }
      Map<String, String> attributes = new TreeMap<>();
      Iterator<Map.Entry<String, JsonNode>> fields = root.path("attributes").fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        attributes.put(f.getKey(), f.getValue().asText());
      }
      return new CacheRecord(layers, text(root, "config"), attributes, text(root, "preimage"));
    } catch (IllegalArgumentException e) {
      throw new MalformedRecordException("malformed cache record for " + key + ": " + e.getMessage(), e);
    }
  }

  /** A record file that cannot be decoded. */
  static final class MalformedRecordException extends IOException {
    private static final long serialVersionUID = 1L;

    MalformedRecordException(String message) {
      super(message);
    }

    MalformedRecordException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("missing text field " + field);
    }
    return v.asText();
  }
}
