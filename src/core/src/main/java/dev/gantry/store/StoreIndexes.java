package dev.gantry.store;

import dev.gantry.oci.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a {@link Store} knows about layers besides their blobs: the index of each layer's files, and
 * where a blob the store does not hold can be fetched from.
 */
final class StoreIndexes {
  private final Store store;
  private final StoreLayout layout;

  StoreIndexes(Store store, StoreLayout layout) {
    this.store = store;
    this.layout = layout;
  }

  /** See {@link Store#noteSource}. */
  void noteSource(Digest digest, String location) throws IOException {
    Path file = layout.source(digest);
    byte[] bytes = (location + "\n").getBytes(StandardCharsets.UTF_8);
    if (!AtomicFiles.sameContent(file, bytes)) {
      Files.createDirectories(file.getParent());
      AtomicFiles.writeCache(layout.tmp(), file, bytes, store.now());
    }
  }

  /** See {@link Store#source}. */
  Optional<String> source(Digest digest) throws IOException {
    try {
      String text = Files.readString(layout.source(digest), StandardCharsets.UTF_8).trim();
      return text.isEmpty() ? Optional.empty() : Optional.of(text);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** See {@link Store#layerIndex}. */
  Optional<LayerIndex> layerIndex(Digest diffId) throws IOException {
    Path file = layout.index(diffId);
    try {
      LayerIndex index = LayerIndexCodec.decode(diffId, Files.readAllBytes(file));
      AtomicFiles.touch(file, store.now());
      return Optional.of(index);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (LayerIndexCodec.MalformedIndexException e) {
      Files.deleteIfExists(file);
      return Optional.empty();
    }
  }

  /** See {@link Store#layerIndexBytes}. */
  Optional<byte[]> layerIndexBytes(Digest diffId) throws IOException {
    try {
      byte[] bytes = Files.readAllBytes(layout.index(diffId));
      LayerIndexCodec.decode(diffId, bytes);
      return Optional.of(bytes);
    } catch (NoSuchFileException | LayerIndexCodec.MalformedIndexException e) {
      return Optional.empty();
    }
  }

  /** See {@link Store#putLayerIndex(Digest, byte[])}. */
  LayerIndex putLayerIndex(Digest diffId, byte[] encoded) throws IOException {
    LayerIndex index;
    try {
      index = LayerIndexCodec.decode(diffId, encoded);
    } catch (LayerIndexCodec.MalformedIndexException e) {
      throw new IOException("the index of layer " + diffId + " is refused: " + e.getMessage(), e);
    }
    AtomicFiles.writeCache(layout.tmp(), layout.index(diffId), encoded, store.now());
    return index;
  }

  /** See {@link Store#putLayerIndex(LayerIndex)}. */
  void putLayerIndex(LayerIndex index) throws IOException {
    AtomicFiles.writeCache(layout.tmp(), layout.index(index.diffId()), LayerIndexCodec.encode(index), store.now());
  }
}
