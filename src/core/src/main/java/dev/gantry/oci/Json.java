package dev.gantry.oci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Deterministic JSON for the image model: writes the same bytes Go's {@code encoding/json} writes
 * for BuildKit's structs (field order, {@code omitempty}, HTML-safe escaping, sorted map keys) and
 * reads documents made by other tools leniently (unknown fields ignored, or kept in {@code extra}).
 *
 * <p>The top level of an image config is written with sorted keys, as BuildKit re-encodes it
 * through a map; its {@code config} section follows struct order.
 */
public final class Json {
  private Json() {}

  /** The JSON bytes of an image config. */
  public static byte[] write(ImageConfig c) {
    return bytes(configTree(c));
  }

  /** The JSON bytes of a manifest. */
  public static byte[] write(Manifest m) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("schemaVersion", m.schemaVersion());
    putIf(o, "mediaType", m.mediaType());
    putIf(o, "artifactType", m.artifactType());
    o.put("config", descriptorTree(m.config()));
    o.put("layers", m.layers().stream().map(Json::descriptorTree).toList());
    if (m.subject() != null) {
      o.put("subject", descriptorTree(m.subject()));
    }
    putIf(o, "annotations", m.annotations());
    return bytes(o);
  }

  /** The JSON bytes of an index. */
  public static byte[] write(Index i) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("schemaVersion", i.schemaVersion());
    putIf(o, "mediaType", i.mediaType());
    putIf(o, "artifactType", i.artifactType());
    o.put("manifests", i.manifests().stream().map(Json::descriptorTree).toList());
    if (i.subject() != null) {
      o.put("subject", descriptorTree(i.subject()));
    }
    putIf(o, "annotations", i.annotations());
    return bytes(o);
  }

  /** The JSON bytes of a descriptor. */
  public static byte[] write(Descriptor d) {
    return bytes(descriptorTree(d));
  }

  /** Compact JSON text of plain values (String, Number, Boolean, List, Map in iteration order). */
  public static String writeValue(Object value) {
    return JsonText.write(value);
  }

  // ---- reading ----

  /** Reads an image config; throws {@link IllegalArgumentException} when it is not valid JSON. */
  public static ImageConfig readConfig(byte[] json) {
    JsonNode n = tree(json);
    Map<String, String> extra = extras(n, Set.of("created", "author", "architecture", "os",
        "os.version", "os.features", "variant", "config", "rootfs", "history"));
    JsonNode rf = n.path("rootfs");
    List<Digest> diffIds = new ArrayList<>();
    for (JsonNode d : rf.path("diff_ids")) {
      diffIds.add(Digest.parse(d.asText()));
    }
    List<ImageConfig.History> history = new ArrayList<>();
    for (JsonNode h : n.path("history")) {
      history.add(new ImageConfig.History(time(h.get("created")), text(h, "created_by"),
          text(h, "author"), text(h, "comment"), h.path("empty_layer").asBoolean(false)));
    }
    return new ImageConfig(time(n.get("created")), text(n, "author"), text(n, "architecture"),
        text(n, "os"), text(n, "os.version"), strings(n.get("os.features")), text(n, "variant"),
        containerConfig(n.path("config")), new ImageConfig.RootFs(text(rf, "type"), diffIds),
        history, extra);
  }

  /** Reads an image manifest (OCI or Docker schema 2). */
  public static Manifest readManifest(byte[] json) {
    JsonNode n = tree(json);
    List<Descriptor> layers = new ArrayList<>();
    for (JsonNode l : n.path("layers")) {
      layers.add(descriptor(l));
    }
    if (!n.hasNonNull("config")) {
      throw new IllegalArgumentException("manifest has no config descriptor");
    }
    return new Manifest(n.path("schemaVersion").asInt(0), text(n, "mediaType"),
        text(n, "artifactType"), descriptor(n.get("config")), layers,
        n.hasNonNull("subject") ? descriptor(n.get("subject")) : null, stringMap(n.get("annotations")));
  }

  /** Reads an index (OCI index or Docker manifest list). */
  public static Index readIndex(byte[] json) {
    JsonNode n = tree(json);
    List<Descriptor> manifests = new ArrayList<>();
    for (JsonNode l : n.path("manifests")) {
      manifests.add(descriptor(l));
    }
    return new Index(n.path("schemaVersion").asInt(0), text(n, "mediaType"),
        text(n, "artifactType"), manifests,
        n.hasNonNull("subject") ? descriptor(n.get("subject")) : null, stringMap(n.get("annotations")));
  }

  /** Reads a descriptor. */
  public static Descriptor readDescriptor(byte[] json) {
    return descriptor(tree(json));
  }

  /** Reads any JSON document as a Jackson tree (for callers that need other documents). */
  public static JsonNode readTree(byte[] json) {
    return tree(json);
  }

  // ---- trees for writing ----

  private static Map<String, Object> configTree(ImageConfig c) {
    Map<String, Object> o = new TreeMap<>(JsonText.GO_KEY_ORDER);
    c.extra().forEach((k, v) -> o.put(k, new JsonText.Raw(reencode(v))));
    o.put("architecture", c.architecture());
    putIf(o, "author", c.author());
    o.put("config", containerTree(c.config()));
    if (c.created() != null) {
      o.put("created", c.created());
    }
    if (!c.history().isEmpty()) {
      o.put("history", c.history().stream().map(Json::historyTree).toList());
    }
    o.put("os", c.os());
    putIf(o, "os.features", c.osFeatures());
    putIf(o, "os.version", c.osVersion());
    Map<String, Object> rootfs = new LinkedHashMap<>();
    rootfs.put("type", c.rootfs().type());
    rootfs.put("diff_ids", c.rootfs().diffIds().stream().map(Digest::toString).toList());
    o.put("rootfs", rootfs);
    putIf(o, "variant", c.variant());
    return o;
  }

  private static Map<String, Object> historyTree(ImageConfig.History h) {
    Map<String, Object> o = new LinkedHashMap<>();
    if (h.created() != null) {
      o.put("created", h.created());
    }
    putIf(o, "created_by", h.createdBy());
    putIf(o, "author", h.author());
    putIf(o, "comment", h.comment());
    if (h.emptyLayer()) {
      o.put("empty_layer", true);
    }
    return o;
  }

  private static Map<String, Object> containerTree(ContainerConfig c) {
    Map<String, Object> o = new LinkedHashMap<>();
    putIf(o, "User", c.user());
    putIf(o, "ExposedPorts", emptyObjects(c.exposedPorts()));
    putIf(o, "Env", c.env());
    putIf(o, "Entrypoint", c.entrypoint());
    putIf(o, "Cmd", c.cmd());
    putIf(o, "Volumes", emptyObjects(c.volumes()));
    putIf(o, "WorkingDir", c.workingDir());
    putIf(o, "Labels", c.labels());
    putIf(o, "StopSignal", c.stopSignal());
    if (c.argsEscaped()) {
      o.put("ArgsEscaped", true);
    }
    if (c.healthcheck() != null) {
      ContainerConfig.Healthcheck h = c.healthcheck();
      Map<String, Object> hc = new LinkedHashMap<>();
      putIf(hc, "Test", h.test());
      putNanos(hc, "Interval", h.interval());
      putNanos(hc, "Timeout", h.timeout());
      putNanos(hc, "StartPeriod", h.startPeriod());
      putNanos(hc, "StartInterval", h.startInterval());
      if (h.retries() != 0) {
        hc.put("Retries", h.retries());
      }
      o.put("Healthcheck", hc);
    }
    putIf(o, "OnBuild", c.onBuild());
    putIf(o, "Shell", c.shell());
    c.extra().forEach((k, v) -> o.putIfAbsent(k, new JsonText.Raw(reencode(v))));
    return o;
  }

  private static Map<String, Object> descriptorTree(Descriptor d) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("mediaType", d.mediaType());
    o.put("digest", d.digest().toString());
    o.put("size", d.size());
    putIf(o, "urls", d.urls());
    putIf(o, "annotations", d.annotations());
    if (d.platform() != null) {
      Platform p = d.platform();
      Map<String, Object> po = new LinkedHashMap<>();
      po.put("architecture", p.architecture());
      po.put("os", p.os());
      putIf(po, "os.version", p.osVersion());
      putIf(po, "os.features", p.osFeatures());
      putIf(po, "variant", p.variant());
      o.put("platform", po);
    }
    return o;
  }

  private static Map<String, Object> emptyObjects(Set<String> keys) {
    Map<String, Object> m = new TreeMap<>(JsonText.GO_KEY_ORDER);
    keys.forEach(k -> m.put(k, Map.of()));
    return m;
  }

  private static void putIf(Map<String, Object> o, String key, Object v) {
    boolean empty = v == null || (v instanceof String s && s.isEmpty())
        || (v instanceof List<?> l && l.isEmpty()) || (v instanceof Map<?, ?> m && m.isEmpty());
    if (!empty) {
      o.put(key, v);
    }
  }

  private static void putNanos(Map<String, Object> o, String key, Duration d) {
    if (!d.isZero()) {
      o.put(key, d.toNanos());
    }
  }

  private static byte[] bytes(Object tree) {
    return JsonText.write(tree).getBytes(StandardCharsets.UTF_8);
  }

  /** Re-encodes raw JSON text with Go's escaping and key order, keeping numbers as written. */
  private static String reencode(String raw) {
    try {
      return JsonText.write(plain(JsonTrees.read(raw)));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Object plain(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    } else if (n.isTextual()) {
      return n.asText();
    } else if (n.isBoolean()) {
      return n.booleanValue();
    } else if (n.isNumber()) {
      return new JsonText.Raw(n.isBigDecimal() ? n.decimalValue().toString() : n.asText());
    } else if (n.isArray()) {
      List<Object> l = new ArrayList<>();
      n.forEach(e -> l.add(plain(e)));
      return l;
    }
    Map<String, Object> m = new TreeMap<>(JsonText.GO_KEY_ORDER);
    n.fields().forEachRemaining(e -> m.put(e.getKey(), plain(e.getValue())));
    return m;
  }

  // ---- reading helpers ----

  private static JsonNode tree(byte[] json) {
    try {
      JsonNode n = JsonTrees.read(json);
      if (n == null || !n.isObject()) {
        throw new IllegalArgumentException("expected a JSON object");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ContainerConfig containerConfig(JsonNode n) {
    if (n == null || !n.isObject()) {
      return ContainerConfig.EMPTY;
    }
    Map<String, String> extra = extras(n, Set.of("User", "ExposedPorts", "Env", "Entrypoint", "Cmd",
        "Volumes", "WorkingDir", "Labels", "StopSignal", "ArgsEscaped", "Healthcheck", "OnBuild",
        "Shell"));
    ContainerConfig.Healthcheck hc = null;
    JsonNode h = n.get("Healthcheck");
    if (h != null && h.isObject()) {
      hc = new ContainerConfig.Healthcheck(strings(h.get("Test")), nanos(h, "Interval"),
          nanos(h, "Timeout"), nanos(h, "StartPeriod"), nanos(h, "StartInterval"),
          h.path("Retries").asInt(0));
    }
    return new ContainerConfig(text(n, "User"), keys(n.get("ExposedPorts")), strings(n.get("Env")),
        strings(n.get("Entrypoint")), strings(n.get("Cmd")), keys(n.get("Volumes")),
        text(n, "WorkingDir"), stringMap(n.get("Labels")), text(n, "StopSignal"),
        n.path("ArgsEscaped").asBoolean(false), hc, strings(n.get("OnBuild")),
        strings(n.get("Shell")), extra);
  }

  private static Descriptor descriptor(JsonNode n) {
    Platform p = null;
    JsonNode pn = n.get("platform");
    if (pn != null && pn.isObject()) {
      p = new Platform(text(pn, "os"), text(pn, "architecture"), text(pn, "variant"),
          text(pn, "os.version"), strings(pn.get("os.features")));
    }
    return new Descriptor(text(n, "mediaType"), Digest.parse(text(n, "digest")),
        n.path("size").asLong(0), stringMap(n.get("annotations")), p, strings(n.get("urls")));
  }

  private static Map<String, String> extras(JsonNode n, Set<String> known) {
    Map<String, String> extra = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = n.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!known.contains(e.getKey())) {
        extra.put(e.getKey(), e.getValue().toString());
      }
    }
    return extra;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? "" : v.asText();
  }

  private static List<String> strings(JsonNode n) {
    List<String> l = new ArrayList<>();
    if (n != null && n.isArray()) {
      n.forEach(e -> l.add(e.asText()));
    }
    return l;
  }

  private static Set<String> keys(JsonNode n) {
    Set<String> s = new TreeSet<>();
    if (n != null && n.isObject()) {
      n.fieldNames().forEachRemaining(s::add);
    }
    return s;
  }

  private static Map<String, String> stringMap(JsonNode n) {
    Map<String, String> m = new TreeMap<>();
    if (n != null && n.isObject()) {
      n.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
    }
    return m;
  }

  private static Duration nanos(JsonNode n, String field) {
    return Duration.ofNanos(n.path(field).asLong(0));
  }

  private static Instant time(JsonNode n) {
    if (n == null || n.isNull() || n.asText().isEmpty()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(n.asText()).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("invalid time \"" + n.asText() + "\"", e);
    }
  }
}
