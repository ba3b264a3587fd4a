package dev.gantry.builder;

import dev.gantry.layer.ArchiveEntries;
import dev.gantry.layer.Archives;
import dev.gantry.layer.EntryType;
import dev.gantry.layer.LayerEntry;
import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.store.LayerIndex;
import dev.gantry.store.LayerIndexReader;
import dev.gantry.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Reads layer blobs of the store: {@link #index} lists the entries of a layer that was not indexed
 * as it entered the store, {@link #bind} gives the entries of an index their
 * contents, which extract the layer's files to a scratch directory the first time one is opened
 * (a step copying from this layer).
 */
final class LayerFiles {
  private LayerFiles() {}

  /**
   * Reads the index of {@code layer}: its entries in layer order with {@code .wh.NAME} files as
   * whiteouts and {@code .wh..wh..opq} as opaque markers, and the bytes of the kept files. Fails
   * when the uncompressed bytes do not hash to {@code diffId}, the image config's word for them.
   */
  static LayerIndex index(Store store, Descriptor layer, Digest diffId) throws IOException {
    return LayerIndexReader.read(store.openBlob(layer.digest()), diffId, layer.digest().toString());
  }

  /**
   * The entries of {@code index} with contents: kept files from the index, every other file
   * from {@code layer}'s blob (put into the store by {@code fetch} then), extracted under a new
   * directory in {@code scratch} when the first of them is opened.
   */
  static List<LayerEntry> bind(LayerIndex index, Store store, Descriptor layer, Path scratch,
      LayerIndexes.Fetch fetch) {
    UnaryOperator<LayerEntry> binder = binder(store, List.of(layer), List.of(index.diffId()), scratch, fetch);
    List<LayerEntry> out = new ArrayList<>(index.entries().size());
    for (LayerEntry e : unbound(index, 0)) {
      out.add(binder.apply(e));
    }
    return out;
  }

  /**
   * The entries of {@code index}, layer {@code layer} of an image, with the kept files' bytes and
   * every other file's content an {@link Origin} that {@link #binder} replaces.
   */
  static List<LayerEntry> unbound(LayerIndex index, int layer) {
    List<LayerEntry> out = new ArrayList<>(index.entries().size());
    for (LayerEntry e : index.entries()) {
      if (e.type() != EntryType.FILE) {
        out.add(e);
        continue;
      }
      byte[] kept = index.files().get(e.path());
      out.add(e.withContent(kept != null ? LayerEntry.Content.ofBytes(kept) : new Origin(layer, e.path())));
    }
    return out;
  }

  /**
   * Gives an entry whose content is an {@link Origin} the content of that file in its layer of
   * {@code layers} (uncompressed digests {@code diffIds}): when the first file of the layer is
   * opened, its blob is put into the store by {@code fetch} if the store lacks it, then extracted
   * under a new directory in {@code scratch}; other entries are returned as they are.
   */
  static UnaryOperator<LayerEntry> binder(Store store, List<Descriptor> layers, List<Digest> diffIds, Path scratch,
      LayerIndexes.Fetch fetch) {
    List<LazySpool> spools = new ArrayList<>(layers.size());
    for (int i = 0; i < layers.size(); i++) {
      spools.add(new LazySpool(store, layers.get(i), diffIds.get(i), scratch, fetch));
    }
    return e -> e.content() instanceof Origin o ? e.withContent(spools.get(o.layer()).content(o.path())) : e;
  }

  /**
   * Where a file of an image comes from: {@code path} in layer {@code layer} (counted from the
   * bottom). Names the bytes without holding them, so trees of these entries are shared by builds;
   * {@link #binder} makes them readable.
   */
  record Origin(int layer, String path) implements LayerEntry.Content {
    @Override
    public InputStream open() throws IOException {
      throw new IOException("the content of " + path + " (layer " + layer + ") is not bound to its layer blob");
    }
  }

  /** Extracts a layer's files once, when the first of their contents is opened. Thread-safe. */
  private static final class LazySpool {
    private final Store store;
    private final Descriptor layer;
    private final Digest diffId;
    private final Path scratch;
    private final LayerIndexes.Fetch fetch;
    private Map<String, LayerEntry.Content> files;

    LazySpool(Store store, Descriptor layer, Digest diffId, Path scratch, LayerIndexes.Fetch fetch) {
      this.store = store;
      this.layer = layer;
      this.diffId = diffId;
      this.scratch = scratch;
      this.fetch = fetch;
    }

    LayerEntry.Content content(String path) {
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
        fetch.blob(layer, diffId);
        Path dir = Files.createTempDirectory(scratch, "layer");
        try (InputStream in = Archives.open(store.openBlob(layer.digest()))) {
          for (LayerEntry e : ArchiveEntries.create().allowDevices(true).spoolTo(dir).read(in, "/")) {
            if (e.type() == EntryType.FILE) {
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
