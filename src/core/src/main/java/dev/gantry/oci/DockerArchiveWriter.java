package dev.gantry.oci;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes an image as a docker-archive tar, the format {@code docker load}, {@code podman load}
 * and {@code skopeo docker-archive:} read: a {@code manifest.json} naming the config, repository
 * tags and layers, beside the blobs.
 *
 * <p>The layout is the one {@code docker save} writes since Docker 25: blobs under
 * {@code blobs/sha256/}, plus {@code oci-layout} and an {@code index.json}, so the same file is
 * also a valid OCI archive. Layers are stored as they are (compressed); every reader of the format
 * detects the compression. Entry order and headers are deterministic.
 */
public final class DockerArchiveWriter {
  private final Instant mtime;

  private DockerArchiveWriter(Instant mtime) {
    this.mtime = mtime;
  }

  /** A writer whose tar entries all carry {@code mtime} (use the build's SOURCE_DATE_EPOCH). */
  public static DockerArchiveWriter withMtime(Instant mtime) {
    return new DockerArchiveWriter(Objects.requireNonNull(mtime));
  }

  /** A writer whose tar entries carry the Unix epoch as their time. */
  public static DockerArchiveWriter create() {
    return withMtime(Instant.EPOCH);
  }

  /**
   * Writes {@code image} with repository tags {@code repoTags} (full references such as
   * {@code example.com/app:1.0}) to {@code out}, which is not closed.
   */
  public Descriptor write(Image image, Collection<String> repoTags, OutputStream out)
      throws IOException {
    ArchiveTar tar = new ArchiveTar(mtime);
    tar.addBlobs(image);
    tar.add("manifest.json", manifestJson(image, repoTags));
    tar.add("oci-layout", OciLayoutWriter.LAYOUT_FILE);
    tar.add("index.json",
        OciArchiveWriter.index(image.manifest().descriptor(), repoTags, true).toJson());
    tar.writeTo(out);
    return image.manifest().descriptor();
  }

  /** Writes the archive to {@code file} atomically (see {@link OutputFiles}). */
  public Descriptor write(Image image, Collection<String> repoTags, Path file) throws IOException {
    OutputFiles.write(file, out -> write(image, repoTags, out));
    return image.manifest().descriptor();
  }

  /** The {@code manifest.json} document of an archive holding {@code image}. */
  static byte[] manifestJson(Image image, Collection<String> repoTags) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("Config", path(image.config()));
    entry.put("RepoTags", List.copyOf(repoTags.stream().distinct().toList()));
    List<String> layers = new ArrayList<>();
    image.layers().forEach(l -> layers.add(path(l)));
    entry.put("Layers", layers);
    return JsonText.write(List.of(entry)).getBytes(StandardCharsets.UTF_8);
  }

  private static String path(Blob b) {
    Digest d = b.descriptor().digest();
    return "blobs/" + d.algorithm() + "/" + d.hex();
  }
}
