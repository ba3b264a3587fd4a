package dev.gantry.oracle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * What a differential test compares between two images: the config fields a Dockerfile controls
 * and the flattened root filesystem (layers applied in order, whiteouts honoured). Read straight
 * from an OCI image layout with no Gantry code, so it can judge Gantry's output.
 */
public record ImageSnapshot(Map<String, String> config, Map<String, String> files) {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> CONFIG_FIELDS = List.of("Env", "Cmd", "Entrypoint", "WorkingDir", "User",
      "ExposedPorts", "Volumes", "Labels", "StopSignal", "Healthcheck", "OnBuild", "Shell");

  /** Reads the image tagged {@code tag} (or the only image when null) from an OCI layout. */
  public static ImageSnapshot read(Path layout, String tag) throws IOException {
    JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
    JsonNode chosen = null;
    for (JsonNode m : index.path("manifests")) {
      String ref = m.path("annotations").path("org.opencontainers.image.ref.name").asText(null);
      if (tag == null || tag.equals(ref)) {
        chosen = m;
        break;
      }
    }
    if (chosen == null) {
      throw new IOException("no image " + tag + " in " + layout);
    }
    JsonNode manifest = JSON.readTree(blob(layout, chosen.path("digest").asText()).toFile());
    JsonNode cfg = JSON.readTree(blob(layout, manifest.path("config").path("digest").asText()).toFile());
    Map<String, String> config = new TreeMap<>();
    JsonNode c = cfg.path("config");
    for (String f : CONFIG_FIELDS) {
      JsonNode v = c.path(f);
      if (!v.isMissingNode() && !v.isNull() && !(v.isContainerNode() && v.isEmpty()) && !(v.isTextual() && v.asText().isEmpty())) {
        config.put(f, canonical(v));
      }
    }
    Map<String, String> files = new TreeMap<>();
    for (JsonNode layer : manifest.path("layers")) {
      apply(files, blob(layout, layer.path("digest").asText()));
    }
    return new ImageSnapshot(config, files);
  }

  private static String canonical(JsonNode v) throws IOException {
    if (v.isObject()) {
      ObjectNode sorted = JSON.createObjectNode();
      List<String> names = new ArrayList<>();
      v.fieldNames().forEachRemaining(names::add);
      names.stream().sorted().forEach(n -> sorted.set(n, v.get(n)));
      return JSON.writeValueAsString(sorted);
    }
    return JSON.writeValueAsString(v);
  }

  private static Path blob(Path layout, String digest) {
    String[] p = digest.split(":", 2);
    return layout.resolve("blobs").resolve(p[0]).resolve(p[1]);
  }

  private static void apply(Map<String, String> files, Path blob) throws IOException {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(blob))) {
      raw.mark(2);
      int b1 = raw.read();
      int b2 = raw.read();
      raw.reset();
      InputStream in = (b1 == 0x1f && b2 == 0x8b) ? new GZIPInputStream(raw) : raw;
      try (TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
        for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
          String name = clean(e.getName());
          String base = name.substring(name.lastIndexOf('/') + 1);
          String dir = name.contains("/") ? name.substring(0, name.lastIndexOf('/')) : "";
          if (base.equals(".wh..wh..opq")) {
            files.keySet().removeIf(k -> k.startsWith(dir + "/"));
            continue;
          }
          if (base.startsWith(".wh.")) {
            String gone = (dir.isEmpty() ? "" : dir + "/") + base.substring(4);
            files.keySet().removeIf(k -> k.equals(gone) || k.startsWith(gone + "/"));
            continue;
          }
          if (name.isEmpty()) {
            continue;
          }
          String owner = " " + e.getLongUserId() + ":" + e.getLongGroupId();
          String mode = String.format(" %05o", e.getMode() & 07777);
          if (e.isDirectory()) {
            String prev = files.get(name);
            if (prev == null || !prev.startsWith("dir")) {
              files.keySet().removeIf(k -> k.startsWith(name + "/"));
            }
            files.put(name, "dir" + mode + owner);
          } else if (e.isSymbolicLink()) {
            files.put(name, "symlink" + owner + " -> " + e.getLinkName());
          } else if (e.isLink()) {
            String target = files.get(clean(e.getLinkName()));
            String content = target == null ? "?" : target.substring(target.lastIndexOf(' ') + 1);
            files.put(name, "file" + mode + owner + " " + content);
          } else if (e.isFile()) {
            files.put(name, "file" + mode + owner + " " + sha(tar));
          } else {
            files.put(name, "special" + mode + owner);
          }
        }
      }
    }
  }

  /** An entry name without leading {@code ./} or {@code /} and trailing {@code /}; the root is empty. */
  public static String clean(String n) {
    while (n.startsWith("./") || n.startsWith("/")) {
      n = n.startsWith("./") ? n.substring(2) : n.substring(1);
    }
    while (n.endsWith("/")) {
      n = n.substring(0, n.length() - 1);
    }
    return n.equals(".") ? "" : n;
  }

  private static String sha(InputStream in) throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[65536];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A readable, line-per-item rendering for assertion diffs. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    config.forEach((k, v) -> sb.append("config ").append(k).append(" = ").append(v).append('\n'));
    files.forEach((k, v) -> sb.append("/").append(k).append("  ").append(v).append('\n'));
    return sb.toString();
  }
}
