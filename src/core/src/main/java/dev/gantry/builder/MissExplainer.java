package dev.gantry.builder;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.oci.Digest;
import dev.gantry.oci.Json;
import dev.gantry.plan.CacheKey;
import dev.gantry.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Says why a step missed the cache: it remembers, per step position (context, Dockerfile, stage,
 * step number), the last key built there, and on a miss compares that key's preimage with the new
 * one ({@code file src/App.java changed}, {@code build arg VERSION changed}, ...). Only the first
 * miss of a chain is explained: later steps miss because their parent did.
 */
final class MissExplainer {
  private static final int MAX_REASONS = 3;
  private final Store store;
  private final Path dir;

  MissExplainer(Store store) {
    this.store = store;
    this.dir = store.root().resolve("v1").resolve("steps");
  }

  /** The identity of a step position. */
  static Digest position(String context, String dockerfile, String stage, int number) {
    return Digest.sha256(context + "\u0000" + dockerfile + "\u0000" + stage + "\u0000" + number);
  }

  /** Why {@code key} missed where {@code position} last built another key, if it can tell. */
  Optional<String> explain(Digest position, CacheKey key) {
    try {
      Path f = dir.resolve(position.hex());
      if (!Files.exists(f)) {
        return Optional.empty();
      }
      Digest previous = Digest.parse(Files.readString(f, StandardCharsets.UTF_8).trim());
      if (previous.equals(key.digest())) {
        return Optional.empty();
      }
      Optional<String> old = store.preimage(previous);
      if (old.isEmpty()) {
        return Optional.empty();
      }
      List<String> reasons = reasons(old.get(), key.preimage());
      return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", reasons));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Remembers that {@code position} now builds {@code key}. */
  void remember(Digest position, CacheKey key) {
    try {
      Path f = dir.resolve(position.hex());
      if (Files.isRegularFile(f) && Files.readString(f, StandardCharsets.UTF_8).trim().equals(key.digest().toString())) {
        return;
      }
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, ".step", ".tmp");
      Files.writeString(tmp, key.digest().toString(), StandardCharsets.UTF_8);
      Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // explanations are a convenience; a failure to record one never fails a build
    }
  }

  /** What differs between two preimages (the texts keys are hashed from), when they share a parent. */
  static List<String> reasons(String before, String after) {
    return diff(Json.readTree(before.getBytes(StandardCharsets.UTF_8)),
        Json.readTree(after.getBytes(StandardCharsets.UTF_8)));
  }

  static List<String> diff(JsonNode before, JsonNode after) {
    List<String> reasons = new ArrayList<>();
    if (!before.path("parent").equals(after.path("parent"))) {
      return reasons;
    }
    if (!before.path("instruction").equals(after.path("instruction"))) {
      reasons.add("the instruction changed (after variable expansion)");
    }
    compareMaps("build arg", before.path("args"), after.path("args"), reasons);
    compareMaps("variable", before.path("env"), after.path("env"), reasons);
    if (!before.path("platform").equals(after.path("platform"))) {
      reasons.add("the platform changed");
    }
    if (before.has("timestamps") && !before.path("timestamps").equals(after.path("timestamps"))) {
      boolean was = !"keep".equals(before.path("timestamps").asText());
      boolean is = !"keep".equals(after.path("timestamps").asText());
      reasons.add(was && is ? "the epoch of --rewrite-timestamp changed"
          : "--rewrite-timestamp was turned " + (is ? "on" : "off"));
    }
    compareInputs(before.path("inputs"), after.path("inputs"), reasons);
    return reasons.size() > MAX_REASONS ? reasons.subList(0, MAX_REASONS) : reasons;
  }

  private static void compareMaps(String what, JsonNode a, JsonNode b, List<String> reasons) {
    Map<String, JsonNode> x = flat(a);
    Map<String, JsonNode> y = flat(b);
    for (Map.Entry<String, JsonNode> e : y.entrySet()) {
      JsonNode old = x.get(e.getKey());
      if (old == null) {
        reasons.add(what + " " + e.getKey() + " is new");
      } else if (!old.equals(e.getValue())) {
        reasons.add(what + " " + e.getKey() + " changed");
      }
    }
    for (String k : x.keySet()) {
      if (!y.containsKey(k)) {
        reasons.add(what + " " + k + " is gone");
      }
    }
  }

  private static void compareInputs(JsonNode a, JsonNode b, List<String> reasons) {
    Map<String, JsonNode> x = files(a);
    Map<String, JsonNode> y = files(b);
    for (Map.Entry<String, JsonNode> e : y.entrySet()) {
      JsonNode old = x.get(e.getKey());
      if (old == null) {
        reasons.add("file " + e.getKey() + " was added");
      } else if (!old.equals(e.getValue())) {
        reasons.add("file " + e.getKey() + " changed");
      }
    }
    for (String k : x.keySet()) {
      if (!y.containsKey(k)) {
        reasons.add("file " + k + " was removed");
      }
    }
    if (x.isEmpty() && y.isEmpty() && !a.equals(b)) {
      reasons.add(b.has("stage") ? "the stage it copies from changed"
          : b.has("image") ? "the image it copies from changed" : "its sources changed");
    }
  }

  private static Map<String, JsonNode> files(JsonNode inputs) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (JsonNode f : inputs.path("files")) {
      String key = f.has("path") ? f.path("path").asText() : f.path("url").asText();
      out.put(key, f);
    }
    return out;
  }

  private static Map<String, JsonNode> flat(JsonNode obj) {
    Map<String, JsonNode> m = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      m.put(e.getKey(), e.getValue());
    }
    return m;
  }
}
