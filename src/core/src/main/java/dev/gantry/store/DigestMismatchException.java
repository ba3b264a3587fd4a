package dev.gantry.store;

import dev.gantry.oci.Digest;
import java.io.IOException;
import java.util.Objects;

/**
 * Content whose sha256 is not the digest it was expected to have; nothing was stored under the
 * expected name.
 */
public class DigestMismatchException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Digest expected;
  private final transient Digest actual;

  /** A mismatch between {@code expected} and the {@code actual} digest of the content. */
  public DigestMismatchException(String message, Digest expected, Digest actual) {
    super(message);
    this.expected = Objects.requireNonNull(expected, "expected");
    this.actual = Objects.requireNonNull(actual, "actual");
  }

  /** The digest the content should have had. */
  public Digest expected() {
    return expected;
  }

  /** The digest the content really has. */
  public Digest actual() {
    return actual;
  }
}
