package dev.gantry.oci;

/**
 * The media types Gantry reads and writes: OCI image-spec types and their Docker schema 2
 * equivalents.
 */
public final class MediaType {
  private MediaType() {}

  /** OCI image manifest. */
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  /** OCI image index. */
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  /** OCI image config. */
  public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  /** OCI layer, uncompressed tar. */
  public static final String OCI_LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";
  /** OCI layer, gzip-compressed tar. */
  public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  /** OCI layer, zstd-compressed tar. */
  public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
  /** The empty descriptor's media type (OCI 1.1). */
  public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";

  /** Docker schema 2 image manifest. */
  public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  /** Docker schema 2 manifest list. */
  public static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";
  /** Docker schema 2 image config. */
  public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  /** Docker schema 2 layer, gzip-compressed tar. */
  public static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
  /** Docker layer, uncompressed tar (rarely seen outside archives). */
  public static final String DOCKER_LAYER_TAR = "application/vnd.docker.image.rootfs.diff.tar";

  /** Whether {@code mediaType} names an image manifest (OCI or Docker). */
  public static boolean isManifest(String mediaType) {
    return OCI_MANIFEST.equals(mediaType) || DOCKER_MANIFEST.equals(mediaType);
  }

  /** Whether {@code mediaType} names an index or manifest list (OCI or Docker). */
  public static boolean isIndex(String mediaType) {
    return OCI_INDEX.equals(mediaType) || DOCKER_MANIFEST_LIST.equals(mediaType);
  }

  /** Whether {@code mediaType} names a layer (any compression, OCI or Docker). */
  public static boolean isLayer(String mediaType) {
    return mediaType != null
        && (mediaType.startsWith("application/vnd.oci.image.layer.")
            || mediaType.startsWith("application/vnd.docker.image.rootfs."));
  }
}
