package dev.gantry.layer;

import dev.gantry.oci.MediaType;
import java.io.IOException;
import java.io.OutputStream;

/** How a layer's tar stream is compressed into its blob. */
public enum Compression {
  /** No compression: the blob is the tar stream. */
  NONE(MediaType.OCI_LAYER_TAR, MediaType.DOCKER_LAYER_TAR),
  /**
   * gzip with a deterministic header: no file name, modification time 0, OS byte 255 ("unknown"),
   * default level (6), as Go's {@code compress/gzip} writes it; deflated block-wise on all cores,
   * blocks that do not compress stored (see {@code ParallelGzipOutputStream}).
   */
  GZIP(MediaType.OCI_LAYER_GZIP, MediaType.DOCKER_LAYER_GZIP),
  /** zstd (level 3, one thread, no checksum). */
  ZSTD(MediaType.OCI_LAYER_ZSTD, MediaType.OCI_LAYER_ZSTD);

  private final String mediaType;
  private final String dockerMediaType;

  Compression(String mediaType, String dockerMediaType) {
    this.mediaType = mediaType;
    this.dockerMediaType = dockerMediaType;
  }

  /** The OCI layer media type of blobs compressed this way. */
  public String mediaType() {
    return mediaType;
  }

  /** The Docker schema 2 layer media type (zstd has none; the OCI type is used). */
  public String dockerMediaType() {
    return dockerMediaType;
  }

  /** Wraps {@code out} in a compressor; closing the result finishes the stream and closes out. */
  OutputStream wrap(OutputStream out) throws IOException {
    switch (this) {
      case GZIP:
        return new ParallelGzipOutputStream(out, 6);
      case ZSTD:
        return ZstdSupport.compress(out);
      default:
        return out;
    }
  }
}
