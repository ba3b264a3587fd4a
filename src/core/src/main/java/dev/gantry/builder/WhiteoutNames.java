package dev.gantry.builder;

import dev.gantry.layer.LayerEntry;
import dev.gantry.layer.LayerPaths;
import java.util.List;

/**
 * The one rule for entries a COPY or ADD would write under a name that means a whiteout in a layer
 * ({@code .wh.NAME}, {@code .wh..wh..opq}). A tar layer cannot hold a plain file of such a name:
 * every layer reader (this one when a step is cached, RUN's rootfs, containerd, Docker) takes it
 * as a whiteout. So the entry is written as what the layer means, and every view of the stage
 * agrees: {@code .wh.NAME} deletes {@code NAME} from the layers below, {@code .wh..wh..opq} makes
 * its directory opaque. Names that cannot be a whiteout ({@code .wh.} alone, other {@code .wh..wh.}
 * metadata names, a {@code .wh..wh..opq} at the root) and anything below a directory named
 * {@code .wh.*} are left out. Each case adds a note for a warning.
 */
final class WhiteoutNames {
  private WhiteoutNames() {}

  /** What {@code e} (whose path has a {@code .wh.} component) becomes in the layer, or null when it is left out. */
  static LayerEntry convert(LayerEntry e, List<String> notes) {
    String path = e.path();
    String parent = LayerPaths.parent(path);
    String name = LayerPaths.name(path);
    if (("/" + parent).contains("/" + LayerPaths.WHITEOUT_PREFIX)) {
      notes.add("/" + path + " is left out: it lies under a directory named like a whiteout");
      return null;
    }
    if (name.equals(LayerPaths.OPAQUE_MARKER) && !parent.isEmpty()) {
      notes.add("/" + path + " is an opaque-directory marker in the layer: /" + parent
          + " hides what the layers below have in it");
      return LayerEntry.opaque(parent);
    }
    String gone = name.substring(LayerPaths.WHITEOUT_PREFIX.length());
    if (gone.isEmpty() || gone.startsWith(LayerPaths.WHITEOUT_PREFIX) || name.equals(LayerPaths.OPAQUE_MARKER)) {
      notes.add("/" + path + " is left out: a layer cannot hold a file of that name");
      return null;
    }
    String deleted = parent.isEmpty() ? gone : parent + "/" + gone;
    notes.add("/" + path + " is a whiteout in the layer: it deletes /" + deleted + " from the layers below");
    return LayerEntry.whiteout(deleted);
  }
}
