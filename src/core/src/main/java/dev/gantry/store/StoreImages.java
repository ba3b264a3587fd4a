package dev.gantry.store;

import dev.gantry.oci.Blob;
import dev.gantry.oci.Blobs;
import dev.gantry.oci.Digest;
import dev.gantry.oci.Image;
import dev.gantry.oci.Json;
import dev.gantry.oci.Manifest;
import dev.gantry.oci.MediaType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Images of a store as {@link Image}s: the store as a source, like an OCI layout. */
public final class StoreImages {
  private StoreImages() {}

  /**
   * The image whose manifest is blob {@code manifest} of {@code store}; the manifest is read and
   * verified now, config and layers are read from the store's files when opened.
   *
   * @throws java.nio.file.NoSuchFileException when the manifest or one of its blobs is not in the store
   */
  public static Image read(Store store, Digest manifest) throws IOException {
    byte[] bytes = store.readBlob(manifest);
    Manifest m = Json.readManifest(bytes);
    Blob config = Blobs.fromFile(m.config(), store.blobPath(m.config().digest()));
    List<Blob> layers = new ArrayList<>();
    for (var d : m.layers()) {
      layers.add(Blobs.fromFile(d, store.blobPath(d.digest())));
    }
    return new Image(Blobs.of(m.mediaType().isEmpty() ? MediaType.OCI_MANIFEST : m.mediaType(), bytes), config, layers);
  }
}
