package dev.gantry.oci;

import java.util.Locale;

/**
 * How a layer's tar stream is compressed into its blob; the same value from the build request to the
 * layer writer ({@code layer.TarLayerWriter} does the compressing).
 */
public enum Compression {
  /** No compression: the blob is the tar stream. */
  NONE(MediaType.OCI_LAYER_TAR, MediaType.DOCKER_LAYER_TAR),
  /**
   * gzip with a deterministic header: no file name, modification time 0, OS byte 255 ("unknown"),
   * default level (6), as Go's {@code compress/gzip} writes it; deflated block-wise on all cores,
   * blocks that do not compress stored (see {@code layer.ParallelGzipOutputStream}).
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

  /** The spelling of {@code --compression}: {@code none}, {@code gzip} or {@code zstd}. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The compression {@code value} names ({@code gzip}, {@code zstd} or {@code none}, in any case).
   *
   * @throws IllegalArgumentException for another name
   */
  public static Compression parse(String value) {
    for (Compression c : values()) {
      if (c.value().equalsIgnoreCase(value)) {
        return c;
      }
    }
    throw new IllegalArgumentException("compression must be gzip, zstd or none, not '" + value + "'");
  }
}
