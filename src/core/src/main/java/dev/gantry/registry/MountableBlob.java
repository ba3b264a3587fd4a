package dev.gantry.registry;

import dev.gantry.oci.Blob;
import dev.gantry.oci.Descriptor;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A blob known to be in the repository of {@code from} (a layer of a pulled base image): a push to
 * another repository of the same registry mounts it from there instead of uploading it (ggcr's
 * mountable layer).
 *
 * @param blob the blob
 * @param from the image it came from
 */
public record MountableBlob(Blob blob, ImageReference from) implements Blob {
  public MountableBlob {
    Objects.requireNonNull(blob, "blob");
    Objects.requireNonNull(from, "from");
  }

  @Override
  public Descriptor descriptor() {
    return blob.descriptor();
  }

  @Override
  public InputStream open() throws IOException {
    return blob.open();
  }
}
