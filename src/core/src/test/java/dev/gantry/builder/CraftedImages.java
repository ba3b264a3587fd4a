package dev.gantry.builder;

import dev.gantry.oci.Blob;
import dev.gantry.oci.Blobs;
import dev.gantry.oci.Digest;
import dev.gantry.oci.Image;
import dev.gantry.oci.ImageConfig;
import dev.gantry.oci.MediaType;
import dev.gantry.oci.OciLayoutWriter;
import dev.gantry.oci.Platform;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Hand-made images for tests: an OCI layout whose layers are tars exactly as a test wrote them
 * (no parent entries added, any order), and the raw entries of a built image's layers.
 */
final class CraftedImages {
  private CraftedImages() {}

  /** Writes an OCI layout at {@code dir} with one image, tagged {@code tag}, of these uncompressed layer tars. */
  static Path layout(Path dir, String tag, byte[]... tars) throws IOException {
    ImageConfig config = ImageConfig.empty(Platform.current());
    List<Blob> layers = new ArrayList<>();
    for (byte[] tar : tars) {
      layers.add(Blobs.of(MediaType.OCI_LAYER_TAR, tar));
      config = config.withLayer(Digest.sha256(tar), new ImageConfig.History(Instant.EPOCH, "crafted", "", "", false));
    }
    OciLayoutWriter.at(dir).write(Image.oci(config, layers), List.of(tag));
    return dir;
  }

  /**
   * The entries of the untagged image's layers in the layout at {@code out}, one map per layer (in
   * layer order): tar name to {@code "file"}, {@code "link -> TARGET"}, {@code "dir"},
   * {@code "char MAJOR:MINOR"}, {@code "block MAJOR:MINOR"}, {@code "fifo"} or {@code "symlink"}.
   */
  static List<Map<String, String>> layers(Path out) throws IOException {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    var index = json.readTree(out.resolve("index.json").toFile());
    var manifest = json.readTree(blob(out, index.path("manifests").get(0).path("digest").asText()).toFile());
    List<Map<String, String>> all = new ArrayList<>();
    for (var layer : manifest.path("layers")) {
      Map<String, String> entries = new LinkedHashMap<>();
      try (InputStream raw = new BufferedInputStream(Files.newInputStream(blob(out, layer.path("digest").asText())));
          TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(raw))) {
        for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
          entries.put(e.getName(), describe(e));
        }
      }
      all.add(entries);
    }
    return all;
  }

  private static String describe(TarArchiveEntry e) {
    if (e.isLink()) {
      return "link -> " + e.getLinkName();
    }
    if (e.isCharacterDevice() || e.isBlockDevice()) {
      return (e.isCharacterDevice() ? "char " : "block ") + e.getDevMajor() + ":" + e.getDevMinor();
    }
    return e.isDirectory() ? "dir" : e.isSymbolicLink() ? "symlink" : e.isFIFO() ? "fifo" : "file";
  }

  private static Path blob(Path layout, String digest) {
    String[] p = digest.split(":", 2);
    return layout.resolve("blobs").resolve(p[0]).resolve(p[1]);
  }
}
