package dev.gantry.builder;

import dev.gantry.layer.LayerEntry;
import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.store.BlobSink;
import dev.gantry.store.LayerIndex;
import dev.gantry.store.LayerIntake;
import dev.gantry.store.Store;
import dev.gantry.store.StoredBlob;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a build gets what a layer holds without reading the layer: its {@link LayerIndex}, from
 * this JVM's memory, else from the store, else from an imported cache, else made once from the
 * layer blob (while it streams in, when it is fetched now) and stored. Layers a
 * build writes are indexed as they are written.
 *
 * <p>Indexes are immutable and keyed by diffID, so the memory cache is shared by every build of
 * the JVM (a Maven build or a library user running several builds); it keeps the most recently
 * used indexes up to {@link #MAX_CACHED_ENTRIES} entries in all, and the filesystems of the most
 * recently used base images ({@link #tree}).
 */
final class LayerIndexes {
  /** The bound of the memory cache, in entries (about 150 bytes each). */
  static final long MAX_CACHED_ENTRIES = 400_000;
  private static final Map<Digest, LayerIndex> MEMORY = new LinkedHashMap<>(16, 0.75f, true);
  private static long cachedEntries;
  /** How many image filesystems (by chain of diffIDs) the JVM keeps. */
  static final int MAX_CACHED_TREES = 8;
  /** Image filesystems with contents named by origin (never changed once made), most recently used last. */
  private static final Map<List<Digest>, FsTree> TREES = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<List<Digest>, FsTree> eldest) {
      return size() > MAX_CACHED_TREES;
    }
  };

  /**
   * Puts a layer blob the store lacks into it (from a base image or an imported cache), indexing
   * it as it streams ({@code diffId} its uncompressed digest).
   */
  @FunctionalInterface
  interface Fetch {
    void blob(Descriptor layer, Digest diffId) throws IOException;
  }

  /** The index of a layer from elsewhere than its blob (an imported cache), stored once fetched. */
  @FunctionalInterface
  interface Imported {
    Optional<LayerIndex> index(Digest diffId) throws IOException;
  }

  private final Store store;
  private final Path scratch;
  private final Fetch fetch;
  private final Imported imported;

  LayerIndexes(Store store, Path scratch, Fetch fetch, Imported imported) {
    this.store = store;
    this.scratch = scratch;
    this.fetch = fetch;
    this.imported = imported;
  }

  /**
   * The entries of layer {@code blob} (uncompressed digest {@code diffId}) in layer order, whiteouts
   * as whiteout entries, file contents bound to the blob (read only when opened).
   */
  List<LayerEntry> entries(Descriptor blob, Digest diffId) throws IOException {
    return LayerFiles.bind(index(blob, diffId), store, blob, scratch, fetch);
  }

  /**
   * The filesystem of the image whose layers are {@code layers} (uncompressed digests
   * {@code diffIds}), file contents bound to those blobs, each fetched into the store (see
   * {@link Fetch}) when one of its files is first opened. Made from the indexes once per JVM and
   * chain of diffIDs ({@link #MAX_CACHED_TREES} chains kept), then copied for each build: the tree
   * names contents by origin only, so it holds nothing of a build's store or fetches.
   */
  FsTree tree(List<Descriptor> layers, List<Digest> diffIds) throws IOException {
    requireDiffIds(layers, diffIds);
    FsTree template;
    synchronized (TREES) {
      template = TREES.get(diffIds);
    }
    if (template == null) {
      template = FsTree.empty();
      for (int i = 0; i < layers.size(); i++) {
        template.apply(LayerFiles.unbound(index(layers.get(i), diffIds.get(i)), i));
      }
      synchronized (TREES) {
        TREES.put(List.copyOf(diffIds), template);
      }
    }
    return template.bound(LayerFiles.binder(store, layers, diffIds, scratch, fetch));
  }

  /** Fails unless an image's config lists one diffID for each of its {@code layers}. */
  static void requireDiffIds(List<Descriptor> layers, List<Digest> diffIds) throws IOException {
    if (layers.size() != diffIds.size()) {
      throw new IOException("the image has " + layers.size() + " layers but its config lists "
          + diffIds.size() + " diff IDs");
    }
  }

  /** The index of layer {@code blob} with uncompressed digest {@code diffId}. */
  LayerIndex index(Descriptor blob, Digest diffId) throws IOException {
    LayerIndex index = cached(diffId);
    if (index != null) {
      return index;
    }
    index = store.layerIndex(diffId).orElse(null);
    if (index == null) {
      index = imported(diffId);
    }
    if (index == null) {
      fetch.blob(blob, diffId);
      // a blob fetched just now was indexed as it streamed in, unless the index reader refused it
      index = cached(diffId);
    }
    if (index == null) {
      index = LayerFiles.index(store, blob, diffId);
      store.putLayerIndex(index);
    }
    remember(index);
    return index;
  }

  /** The index an imported cache holds for {@code diffId}, or null (also when it was refused: the blob decides). */
  private LayerIndex imported(Digest diffId) {
    try {
      return imported.index(diffId).orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Where the blob of layer {@code diffId} goes as it enters the store: an intake that indexes it
   * in the same pass (and keeps the index in memory), or the store itself when the layer is
   * indexed already.
   */
  BlobSink intake(Digest diffId) {
    if (cached(diffId) != null || store.hasLayerIndex(diffId)) {
      return store::putBlob;
    }
    return (in, expected) -> {
      LayerIntake intake = new LayerIntake(store, diffId);
      StoredBlob blob = intake.put(in, expected);
      intake.index().ifPresent(LayerIndexes::remember);
      return blob;
    };
  }

  /** Indexes a layer this build wrote: {@code written} are the entries exactly as its tar holds them. */
  void written(Digest diffId, Collection<LayerEntry> written) throws IOException {
    LayerIndex index = LayerIndex.ofWritten(diffId, written);
    store.putLayerIndex(index);
    remember(index);
  }

  /** Empties the memory cache (tests that look at the store's copies). */
  static void forgetAll() {
    synchronized (MEMORY) {
      MEMORY.clear();
      cachedEntries = 0;
    }
    synchronized (TREES) {
      TREES.clear();
    }
  }

  /** The index of {@code diffId} in the memory cache, or null. */
  static LayerIndex cached(Digest diffId) {
    synchronized (MEMORY) {
      return MEMORY.get(diffId);
    }
  }

  /** Puts {@code index} in the memory cache, evicting the least recently used beyond the bound. */
  static void remember(LayerIndex index) {
    synchronized (MEMORY) {
      LayerIndex old = MEMORY.put(index.diffId(), index);
      cachedEntries += index.entries().size() - (old == null ? 0 : old.entries().size());
      Iterator<LayerIndex> eldest = MEMORY.values().iterator();
      while (cachedEntries > MAX_CACHED_ENTRIES && eldest.hasNext()) {
        LayerIndex e = eldest.next();
        if (e != index) {
          cachedEntries -= e.entries().size();
          eldest.remove();
        }
      }
    }
  }
}
