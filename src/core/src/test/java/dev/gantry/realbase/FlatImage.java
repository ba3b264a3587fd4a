package dev.gantry.realbase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.oracle.ImageSnapshot;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * An image of an OCI layout read with no Gantry code: every layer's entries (with mtimes, device
 * numbers and the first bytes of each file) and the filesystem they flatten to, whiteouts applied
 * as the OCI image spec says (a whiteout hides what lower layers have; an opaque marker empties
 * its directory of what lower layers put there).
 */
record FlatImage(List<Map<String, Entry>> layers, Map<String, Entry> files, JsonNode config) {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String OPAQUE = ".wh..wh..opq";

  /** One tar entry: type letter (d f l h c b p), mode bits, owner, mtime in seconds, size, and more. */
  record Entry(char type, int mode, long uid, long gid, long mtime, long size, int major, int minor,
      String link, byte[] head) {}

  /** Reads the image tagged {@code tag} from {@code layout}. */
  static FlatImage read(Path layout, String tag) throws IOException {
    JsonNode index = JSON.readTree(layout.resolve("index.json").toFile());
    String digest = null;
    for (JsonNode m : index.path("manifests")) {
      if (tag.equals(m.path("annotations").path("org.opencontainers.image.ref.name").asText())) {
        digest = m.path("digest").asText();
      }
    }
    if (digest == null) {
      throw new IOException("no image tagged " + tag + " in " + layout);
    }
    JsonNode manifest = JSON.readTree(blob(layout, digest).toFile());
    JsonNode config = JSON.readTree(blob(layout, manifest.path("config").path("digest").asText()).toFile());
    List<Map<String, Entry>> layers = new ArrayList<>();
    Map<String, Entry> files = new TreeMap<>();
    for (JsonNode layer : manifest.path("layers")) {
      Map<String, Entry> entries = tarEntries(blob(layout, layer.path("digest").asText()));
      layers.add(entries);
      apply(files, entries);
    }
    return new FlatImage(List.copyOf(layers), files, config);
  }

  /** The filesystem of the first {@code n} layers. */
  Map<String, Entry> lower(int n) {
    Map<String, Entry> fs = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      apply(fs, layers.get(i));
    }
    return fs;
  }

  /** The entry at {@code path}, symbolic links followed inside the image (as Python's stat does); null if none. */
  Entry follow(String path) {
    String p = path;
    for (int hops = 0; hops < 40; hops++) {
      Entry e = files.get(p);
      if (e == null || e.type() != 'l') {
        return e;
      }
      String dir = p.contains("/") ? p.substring(0, p.lastIndexOf('/')) : "";
      p = normalize(e.link().startsWith("/") ? e.link() : dir + "/" + e.link());
    }
    return null;
  }

  private static String normalize(String path) {
    java.util.Deque<String> parts = new java.util.ArrayDeque<>();
    for (String c : path.split("/")) {
      if (c.equals("..")) {
        parts.pollLast();
      } else if (!c.isEmpty() && !c.equals(".")) {
        parts.addLast(c);
      }
    }
    return String.join("/", parts);
  }

  private static void apply(Map<String, Entry> fs, Map<String, Entry> layer) {
    for (String name : layer.keySet()) {
      String base = name.substring(name.lastIndexOf('/') + 1);
      String dir = name.contains("/") ? name.substring(0, name.lastIndexOf('/')) : "";
      if (base.equals(OPAQUE)) {
        fs.keySet().removeIf(k -> k.startsWith(dir + "/") && !layer.containsKey(k));
      } else if (base.startsWith(".wh.")) {
        String gone = (dir.isEmpty() ? "" : dir + "/") + base.substring(4);
        fs.keySet().removeIf(k -> (k.equals(gone) || k.startsWith(gone + "/")) && !layer.containsKey(k));
      }
    }
    layer.forEach((name, e) -> {
      if (!name.substring(name.lastIndexOf('/') + 1).startsWith(".wh.")) {
        Entry before = fs.get(name);
        if (e.type() != 'd' || before == null || before.type() != 'd') {
          fs.keySet().removeIf(k -> k.startsWith(name + "/") && !layer.containsKey(k));
        }
        fs.put(name, e);
      }
    });
  }

  static Map<String, Entry> tarEntries(Path blob) throws IOException {
    Map<String, Entry> out = new LinkedHashMap<>();
    Map<String, byte[]> heads = new HashMap<>();
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(blob), 1 << 16)) {
      raw.mark(2);
      boolean gz = raw.read() == 0x1f && raw.read() == 0x8b;
      raw.reset();
      try (TarArchiveInputStream tar = new TarArchiveInputStream(gz ? new GZIPInputStream(raw, 1 << 16) : raw)) {
        for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
          String name = ImageSnapshot.clean(e.getName());
          if (name.isEmpty()) {
            continue;
          }
          char type = e.isDirectory() ? 'd' : e.isSymbolicLink() ? 'l' : e.isLink() ? 'h'
              : e.isCharacterDevice() ? 'c' : e.isBlockDevice() ? 'b' : e.isFIFO() ? 'p' : 'f';
          byte[] head = new byte[0];
          if (type == 'f') {
            head = tar.readNBytes(16);
            heads.put(name, head);
          } else if (type == 'h') {
            head = heads.getOrDefault(ImageSnapshot.clean(e.getLinkName()), new byte[0]);
          }
          out.put(name, new Entry(type, e.getMode() & 07777, e.getLongUserId(), e.getLongGroupId(),
              e.getLastModifiedTime().toInstant().getEpochSecond(), e.getSize(), e.getDevMajor(), e.getDevMinor(),
              e.getLinkName(), head));
        }
      }
    }
    return out;
  }

  private static Path blob(Path layout, String digest) {
    String[] p = digest.split(":", 2);
    return layout.resolve("blobs").resolve(p[0]).resolve(p[1]);
  }
}
