package dev.gantry.store;

import dev.gantry.oci.Blob;
import dev.gantry.oci.Blobs;
import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.oci.Image;
import dev.gantry.oci.Json;
import dev.gantry.oci.Manifest;
import dev.gantry.oci.MediaType;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/** Images of a store as {@link Image}s: the store as a source, like an OCI layout. */
public final class StoreImages {
  private StoreImages() {}

  /**
   * The image whose manifest is blob {@code manifest} of {@code store}; the manifest is read and
   * verified now, config and layers are read from the store's files when opened (a blob the store
   * does not hold fails then, with a {@link java.nio.file.NoSuchFileException}).
   *
   * @throws java.nio.file.NoSuchFileException when the manifest is not in the store
   */
  public static Image read(Store store, Digest manifest) throws IOException {
    byte[] bytes = store.readBlob(manifest);
    Manifest m = Json.readManifest(bytes);
    Blob config = blob(store, m.config());
    List<Blob> layers = new ArrayList<>();
    for (Descriptor d : m.layers()) {
      layers.add(blob(store, d));
    }
    return new Image(Blobs.of(m.mediaType().isEmpty() ? MediaType.OCI_MANIFEST : m.mediaType(), bytes), config, layers);
  }

  private static Blob blob(Store store, Descriptor d) {
    return Blobs.of(d, () -> Files.newInputStream(store.blobPath(d.digest())));
  }
}
