package dev.gantry.oci;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Somewhere an image is written: an OCI layout directory, an OCI archive, a docker archive. Each
 * takes the image and the references it is tagged with, and appears complete or not at all.
 */
@FunctionalInterface
public interface ImageSink {
  /** Writes {@code image} tagged {@code tags} (references such as {@code registry/app:1}); returns its manifest. */
  Descriptor write(Image image, List<String> tags) throws IOException;

  /** The OCI image layout {@code dir} (added to what it holds); tags become ref-name annotations. */
  static ImageSink ociLayout(Path dir) {
    return (image, tags) -> OciLayoutWriter.at(dir).write(image, refNames(tags));
  }

  /** An OCI image layout packed as the tar {@code file}, entries dated {@code mtime}. */
  static ImageSink ociArchive(Path file, Instant mtime) {
    return (image, tags) -> OciArchiveWriter.withMtime(mtime).write(image, refNames(tags), file);
  }

  /**
   * A docker-archive tar {@code file} ({@code docker load}), entries dated {@code mtime}: the image
   * with Docker schema 2 types (the same layer bytes), tags as repository tags.
   */
  static ImageSink dockerArchive(Path file, Instant mtime) {
    return (image, tags) -> DockerArchiveWriter.withMtime(mtime).write(image.withDockerTypes(), tags, file);
  }

  /** The {@code org.opencontainers.image.ref.name} of each tag: the part after the name ({@code app:1} -> {@code 1}). */
  static List<String> refNames(List<String> tags) {
    List<String> names = new ArrayList<>();
    for (String t : tags) {
      int at = t.indexOf('@');
      names.add(OciArchiveWriter.tagOf(at >= 0 ? t.substring(0, at) : t));
    }
    return names;
  }
}
