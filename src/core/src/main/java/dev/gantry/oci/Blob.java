package dev.gantry.oci;

import java.io.IOException;
import java.io.InputStream;

/**
 * A blob: its descriptor and a way to read its bytes (as often as needed).
 *
 * <p>Implementations are immutable; {@link #open()} returns a fresh stream each time.
 */
public interface Blob {
  /** The blob's descriptor (media type, digest, size). */
  Descriptor descriptor();

  /** A new stream of the blob's bytes; the caller closes it. */
  InputStream open() throws IOException;
}
