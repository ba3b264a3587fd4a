package dev.gantry.oci;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads an OCI image layout directory: its index, manifests resolved by tag, and blobs verified
 * against their digests.
 */
public final class OciLayoutReader {
  private final Path dir;

  private OciLayoutReader(Path dir) {
    this.dir = dir;
  }

  /** A reader for the layout at {@code dir}; fails when it has no {@code oci-layout} file. */
  public static OciLayoutReader open(Path dir) throws IOException {
    if (!Files.isRegularFile(dir.resolve("oci-layout"))) {
      throw new NoSuchFileException(dir.resolve("oci-layout").toString(), null,
          "not an OCI image layout");
    }
    return new OciLayoutReader(dir.toAbsolutePath());
  }

  /** The layout's {@code index.json}. */
  public Index index() throws IOException {
    return Json.readIndex(Files.readAllBytes(dir.resolve("index.json")));
  }

  /**
   * The manifest descriptor tagged {@code tag} (annotation {@value OciLayoutWriter#REF_NAME}), or,
   * when {@code tag} is null, the only one in the index; fails when none or several match.
   */
  public Descriptor resolve(String tag) throws IOException {
    List<Descriptor> all = index().manifests();
    List<Descriptor> hits = tag == null ? all : all.stream()
        .filter(d -> tag.equals(d.annotations().get(OciLayoutWriter.REF_NAME))).toList();
    if (hits.isEmpty()) {
      throw new IOException(tag == null ? "the OCI layout " + dir + " holds no image"
          : "no image tagged \"" + tag + "\" in the OCI layout " + dir);
    }
    if (hits.stream().map(Descriptor::digest).distinct().count() > 1) {
      throw new IOException("the OCI layout " + dir + " holds " + hits.size()
          + " images; name one by tag");
    }
    return hits.get(0);
  }

  /** The manifest a descriptor points at. */
  public Manifest readManifest(Descriptor d) throws IOException {
    return Json.readManifest(readBlob(d));
  }

  /** The image config of {@code manifest}. */
  public ImageConfig readConfig(Manifest manifest) throws IOException {
    return Json.readConfig(readBlob(manifest.config()));
  }

  /** A whole blob, verified against its descriptor's digest and size. */
  public byte[] readBlob(Descriptor d) throws IOException {
    try (InputStream in = openBlob(d)) {
      return in.readAllBytes();
    }
  }

  /** A stream of a blob that fails at its end when the bytes do not match the descriptor. */
  public InputStream openBlob(Descriptor d) throws IOException {
    return VerifyingInputStream.of(Files.newInputStream(blobPath(d.digest())), d);
  }

  /** The path of a blob in this layout. */
  public Path blobPath(Digest digest) {
    return OciLayoutWriter.blobPath(dir, digest);
  }

  /** The image tagged {@code tag} (or the only one) as blobs read from this layout. */
  public Image image(String tag) throws IOException {
    Descriptor md = resolve(tag);
    Manifest m = readManifest(md);
    return new Image(Blobs.fromFile(md, blobPath(md.digest())),
        Blobs.fromFile(m.config(), blobPath(m.config().digest())),
        m.layers().stream().map(l -> Blobs.fromFile(l, blobPath(l.digest()))).toList());
  }
}
