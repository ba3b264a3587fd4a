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
import java.util.List;

/**
 * Reads layer blobs of the store back into entries (file bytes spooled to a scratch directory),
 * turning {@code .wh.NAME} files into whiteouts and {@code .wh..wh..opq} into opaque markers.
 */
final class LayerFiles {
  private LayerFiles() {}

  /** The entries of {@code layer} in layer order, whiteouts as whiteout entries. */
  static List<LayerEntry> read(Store store, Descriptor layer, Path spool) throws IOException {
    List<LayerEntry> raw;
    try (InputStream in = Archives.open(store.openBlob(layer.digest()))) {
      raw = ArchiveEntries.create().allowDevices(true).spoolTo(spool).read(in, "/");
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
}
