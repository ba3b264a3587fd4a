package dev.gantry.build;

import dev.gantry.layer.ArchiveEntries;
import dev.gantry.layer.Archives;
import dev.gantry.layer.LayerEntry;
import dev.gantry.layer.LayerPaths;
import dev.gantry.oci.Descriptor;
import dev.gantry.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads layer blobs of the store back into entries (file bytes spooled to a scratch directory when
 * first needed),
 * turning {@code .wh.NAME} files into whiteouts and {@code .wh..wh..opq} into opaque markers.
 */
final class LayerFiles {
  private LayerFiles() {}

  /**
   * The entries of {@code layer} in layer order, whiteouts as whiteout entries. Only metadata is
   * read now: the layer's files are extracted under {@code spool} the first time one of their
   * contents is opened (a later step copying from this stage), so rebuilding a stage's view after
   * cached steps, which needs metadata only, writes no file.
   */
  static List<LayerEntry> read(Store store, Descriptor layer, Path spool) throws IOException {
    List<LayerEntry> raw;
    LazySpool lazy = new LazySpool(store, layer, spool);
    try (InputStream in = Archives.open(store.openBlob(layer.digest()))) {
      raw = ArchiveEntries.create().allowDevices(true).contentFrom(lazy::content).read(in, "/");
    }
    List<LayerEntry> out = new ArrayList<>(raw.size());
    for (LayerEntry e : raw) {
      String name = LayerPaths.name(e.path());
      String parent = LayerPaths.parent(e.path());
      if (name.equals(LayerPaths.OPAQUE_MARKER)) {
        if (!parent.isEmpty()) {
          out.add(LayerEntry.opaque(parent));
        }
      } else if (name.startsWith(LayerPaths.WHITEOUT_PREFIX)) {
        String gone = name.substring(LayerPaths.WHITEOUT_PREFIX.length());
        out.add(LayerEntry.whiteout(parent.isEmpty() ? gone : parent + "/" + gone));
      } else {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * The entries of each of {@code layers} ({@link #read}), read in parallel, each spooling under a
   * fresh directory in {@code scratch}.
   */
  static List<List<LayerEntry>> readAll(Store store, List<Descriptor> layers, Path scratch) throws IOException {
    try {
      return layers.parallelStream().map(d -> {
        try {
          return read(store, d, java.nio.file.Files.createTempDirectory(scratch, "layer"));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList();
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Extracts a layer's files once, when the first of their contents is opened. Thread-safe. */
  private static final class LazySpool {
    private final Store store;
    private final Descriptor layer;
    private final Path dir;
    private Map<String, LayerEntry.Content> files;

    LazySpool(Store store, Descriptor layer, Path dir) {
      this.store = store;
      this.layer = layer;
      this.dir = dir;
    }

    LayerEntry.Content content(String path, long size) {
      return () -> {
        LayerEntry.Content c = extracted().get(path);
        if (c == null) {
          throw new IOException("layer " + layer.digest() + " has no file " + path);
        }
        return c.open();
      };
    }

    private synchronized Map<String, LayerEntry.Content> extracted() throws IOException {
      if (files == null) {
        Map<String, LayerEntry.Content> m = new HashMap<>();
        try (InputStream in = Archives.open(store.openBlob(layer.digest()))) {
          for (LayerEntry e : ArchiveEntries.create().allowDevices(true).spoolTo(dir).read(in, "/")) {
            if (e.type() == dev.gantry.layer.EntryType.FILE) {
              m.put(e.path(), e.content());
            }
          }
        }
        files = m;
      }
      return files;
    }
  }
}
