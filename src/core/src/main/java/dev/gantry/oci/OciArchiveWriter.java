package dev.gantry.oci;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Writes an image as an OCI archive: the OCI image layout (see {@link OciLayoutWriter}) in a tar
 * file, with deterministic entry order and headers, so the same image gives the same bytes.
 */
public final class OciArchiveWriter {
  private final Instant mtime;

  private OciArchiveWriter(Instant mtime) {
    this.mtime = mtime;
  }

  /** A writer whose tar entries all carry {@code mtime} (use the build's SOURCE_DATE_EPOCH). */
  public static OciArchiveWriter withMtime(Instant mtime) {
    return new OciArchiveWriter(Objects.requireNonNull(mtime));
  }

  /** A writer whose tar entries carry the Unix epoch as their time. */
  public static OciArchiveWriter create() {
    return withMtime(Instant.EPOCH);
  }

  /** Writes {@code image}, tagged with each of {@code tags}, to {@code out} (not closed). */
  public Descriptor write(Image image, Collection<String> tags, OutputStream out)
      throws IOException {
    ArchiveTar tar = new ArchiveTar(mtime);
    tar.addBlobs(image);
    tar.add("oci-layout", OciLayoutWriter.LAYOUT_FILE);
    tar.add("index.json", index(image.manifest().descriptor(), tags, false).toJson());
    tar.writeTo(out);
    return image.manifest().descriptor();
  }

  /** Writes {@code image} to {@code file} atomically (see {@link OutputFiles}). */
  public Descriptor write(Image image, Collection<String> tags, Path file) throws IOException {
    OutputFiles.write(file, out -> write(image, tags, out));
    return image.manifest().descriptor();
  }

  /**
   * The index of an archive: one descriptor per tag. With {@code fullNames} the full reference is
   * also kept as {@code io.containerd.image.name} and the ref name is the part after the last colon
   * (as {@code docker save} writes it).
   */
  static Index index(Descriptor manifest, Collection<String> tags, boolean fullNames) {
    List<Descriptor> ds = new ArrayList<>();
    for (String tag : tags.stream().distinct().toList()) {
      if (fullNames) {
        ds.add(manifest.withAnnotation("io.containerd.image.name", tag)
            .withAnnotation(OciLayoutWriter.REF_NAME, tagOf(tag)));
      } else {
        ds.add(manifest.withAnnotation(OciLayoutWriter.REF_NAME, tag));
      }
    }
    if (ds.isEmpty()) {
      ds.add(manifest);
    }
    return Index.oci(ds);
  }

  /** The tag of {@code reference}: the part after a colon that follows the last slash, else {@code latest}. */
  static String tagOf(String reference) {
    int colon = reference.lastIndexOf(':');
    return colon > reference.lastIndexOf('/') ? reference.substring(colon + 1) : "latest";
  }
}
