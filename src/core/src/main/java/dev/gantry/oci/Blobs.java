package dev.gantry.oci;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/** Static factories for {@link Blob}s held in memory or in files. */
public final class Blobs {
  private Blobs() {}

  /** A blob of {@code bytes} (copied) with the given media type. */
  public static Blob of(String mediaType, byte[] bytes) {
    byte[] copy = bytes.clone();
    return new BytesBlob(Descriptor.of(mediaType, copy), copy);
  }

  /** A blob whose bytes are in {@code file}, described by {@code descriptor} (not re-hashed). */
  public static Blob fromFile(Descriptor descriptor, Path file) {
    return new FileBlob(Objects.requireNonNull(descriptor), Objects.requireNonNull(file));
  }

  /** A blob of a file's bytes, hashing the file once to describe it. */
  public static Blob fromFile(String mediaType, Path file) throws IOException {
    Digest d;
    try (InputStream in = Files.newInputStream(file)) {
      d = Digest.sha256(in);
    }
    return fromFile(Descriptor.of(mediaType, d, Files.size(file)), file);
  }

  /** Opens a new stream of a blob's bytes. */
  @FunctionalInterface
  public interface Opener {
    InputStream open() throws IOException;
  }

  /** A blob described by {@code descriptor} whose bytes {@code opener} yields (not re-hashed). */
  public static Blob of(Descriptor descriptor, Opener opener) {
    return new OpenedBlob(Objects.requireNonNull(descriptor), Objects.requireNonNull(opener));
  }

  /** {@code blob} described with another media type (the same bytes, digest and size). */
  public static Blob withMediaType(Blob blob, String mediaType) {
    if (blob.descriptor().mediaType().equals(mediaType)) {
      return blob;
    }
    return of(blob.descriptor().withMediaType(mediaType), blob::open);
  }

  /** Reads a whole blob into memory. */
  public static byte[] readAll(Blob blob) throws IOException {
    try (InputStream in = blob.open()) {
      return in.readAllBytes();
    }
  }

  private record BytesBlob(Descriptor descriptor, byte[] bytes) implements Blob {
    @Override
    public InputStream open() {
      return new ByteArrayInputStream(bytes);
    }
  }

  private record OpenedBlob(Descriptor descriptor, Opener opener) implements Blob {
    @Override
    public InputStream open() throws IOException {
      return opener.open();
    }
  }

  private record FileBlob(Descriptor descriptor, Path file) implements Blob {
    @Override
    public InputStream open() throws IOException {
      return Files.newInputStream(file);
    }
  }
}
