package dev.gantry.store;

import dev.gantry.oci.Digest;
import java.io.IOException;
import java.io.InputStream;

/**
 * Where a downloaded blob goes: {@link Store#putBlob(InputStream, Digest)}, or a {@link LayerIntake}
 * that also indexes the layer. A sink reads {@code in} to its end and stores nothing unless the
 * bytes hash to {@code expected} ({@link DigestMismatchException} otherwise).
 */
@FunctionalInterface
public interface BlobSink {
  /** Stores everything {@code in} yields as blob {@code expected}. */
  StoredBlob put(InputStream in, Digest expected) throws IOException;
}
