package dev.gantry.builder;

import dev.gantry.layer.LayerEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The file times of a new layer under {@code --rewrite-timestamp} (BuildKit's
 * {@code rewrite-timestamp=true}): every time after the epoch becomes the epoch, except for entries
 * the layer only re-lists unchanged from the filesystem below it (the parent directories of copied
 * files), which keep the time they had so that extracting the layer changes nothing it did not write.
 * Without the option a layer keeps the times its entries came with.
 */
final class LayerTimes {
  private LayerTimes() {}

  /** {@code entries} with times after {@code epoch} clamped, except those equal to their entry in {@code below} (may be null). */
  static List<LayerEntry> clamp(List<LayerEntry> entries, Instant epoch, FsTree below) {
    List<LayerEntry> out = new ArrayList<>(entries.size());
    for (LayerEntry e : entries) {
      boolean relisted = below != null && e.equals(below.get(e.path()));
      out.add(relisted || !e.mtime().isAfter(epoch) ? e : e.withMtime(epoch));
    }
    return out;
  }
}
