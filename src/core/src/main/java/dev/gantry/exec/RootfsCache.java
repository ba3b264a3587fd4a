package dev.gantry.exec;

import dev.gantry.layer.SafeExtractor;
import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Layers unpacked once per layer chain, in the store, as overlay lower directories:
 * {@code <store>/v1/rootfs/<chainID hex>/} holds one layer's own files with its whiteouts in
 * overlayfs form (a {@code .wh.NAME} file becomes a 0/0 character device {@code NAME}, an
 * {@code .wh..wh..opq} marker the {@code user.overlay.opaque=y} xattr of its directory). Stacking
 * the directories of a chain, top first, gives the image's filesystem.
 *
 * <p>Extraction is hostile-input safe ({@link SafeExtractor}: confined names, owners, modes,
 * setuid bits, devices kept, whiteouts in overlay form: a name a layer both whites out and writes
 * keeps the layer's entry, a directory there becoming opaque), goes to a temporary directory and is renamed into place, so a
 * directory that exists is complete. Safe for concurrent builds: the first rename wins. Unpacked
 * directories are reused by later builds.
 */
public final class RootfsCache {
  /** The xattr (in the {@code user.} namespace, as mounted with {@code userxattr}) marking an opaque directory. */
  static final String OPAQUE_XATTR = "overlay.opaque";
  private final Store store;
  private final Path dir;

  /** A cache under {@code store.root()/v1/rootfs}. */
  public RootfsCache(Store store) throws IOException {
    this.store = store;
    this.dir = Files.createDirectories(store.root().resolve("v1").resolve("rootfs"));
  }

  /** The directory holding the unpacked chains (overlay lower paths are relative to it). */
  public Path directory() {
    return dir;
  }

  /**
   * The unpacked directories of {@code layers} (blobs in the store) whose uncompressed digests are
   * {@code diffIds}, bottom layer first; unpacks those not yet cached.
   */
  public List<Path> lowerDirs(List<Descriptor> layers, List<Digest> diffIds) throws IOException {
    if (layers.size() != diffIds.size()) {
      throw new IllegalArgumentException(layers.size() + " layers but " + diffIds.size() + " diff ids");
    }
    List<Path> out = new ArrayList<>();
    Digest chain = null;
    for (int i = 0; i < layers.size(); i++) {
      chain = chain == null ? diffIds.get(i) : Digest.sha256(chain + " " + diffIds.get(i));
      Path target = dir.resolve(chain.hex());
      if (!Files.isDirectory(target)) {
        unpack(layers.get(i), target);
      }
      store.markUsed(target, layers.get(i).digest());
      out.add(target);
    }
    return out;
  }

  private void unpack(Descriptor layer, Path target) throws IOException {
    Path tmp = Files.createTempDirectory(dir, ".tmp-");
    try {
      Path fs = tmp.resolve("fs");
      try (InputStream in = store.openBlob(layer.digest())) {
        SafeExtractor.create().allowDevices(true).preserveOwners(true).whiteouts(SafeExtractor.Whiteouts.OVERLAY)
            .extract(in, fs);
      }
      Files.setAttribute(fs, "unix:mode", 0755);
      try {
        Files.move(fs, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
        if (!Files.isDirectory(target)) {
          throw e;
        }
      }
    } finally {
      Trees.delete(tmp);
    }
  }
}
