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
  /** Docker foreign layer (not to be pushed), gzip-compressed tar. */
  public static final String DOCKER_FOREIGN_LAYER_GZIP = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
  /** Docker foreign layer, uncompressed tar. */
  public static final String DOCKER_FOREIGN_LAYER_TAR = "application/vnd.docker.image.rootfs.foreign.diff.tar";
  /** OCI non-distributable layer (deprecated in OCI 1.1, the counterpart of Docker's foreign layers), gzip. */
  public static final String OCI_NONDISTRIBUTABLE_GZIP = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
  /** OCI non-distributable layer, uncompressed tar. */
  public static final String OCI_NONDISTRIBUTABLE_TAR = "application/vnd.oci.image.layer.nondistributable.v1.tar";

  /** Docker schema 2 types and their OCI counterparts, as BuildKit's and buildah's exporters convert them. */
  private static final String[][] DOCKER_AND_OCI = {
      {DOCKER_MANIFEST, OCI_MANIFEST},
      {DOCKER_MANIFEST_LIST, OCI_INDEX},
      {DOCKER_CONFIG, OCI_CONFIG},
      {DOCKER_LAYER_GZIP, OCI_LAYER_GZIP},
      {DOCKER_LAYER_TAR, OCI_LAYER_TAR},
      {DOCKER_FOREIGN_LAYER_GZIP, OCI_NONDISTRIBUTABLE_GZIP},
      {DOCKER_FOREIGN_LAYER_TAR, OCI_NONDISTRIBUTABLE_TAR},
  };

  /** The OCI type of the same content as {@code mediaType} (the type itself when it has no Docker counterpart). */
  public static String toOci(String mediaType) {
    for (String[] pair : DOCKER_AND_OCI) {
      if (pair[0].equals(mediaType)) {
        return pair[1];
      }
    }
    return mediaType;
  }

  /**
   * The Docker schema 2 type of the same content as {@code mediaType}: the type itself when it is a
   * Docker type, null when Docker has none (zstd layers, OCI artifacts).
   */
  public static String toDocker(String mediaType) {
    for (String[] pair : DOCKER_AND_OCI) {
      if (pair[0].equals(mediaType) || pair[1].equals(mediaType)) {
        return pair[0];
      }
    }
    return null;
  }

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
