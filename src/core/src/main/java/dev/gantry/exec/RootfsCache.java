package dev.gantry.exec;

import dev.gantry.layer.LayerPaths;
import dev.gantry.layer.SafeExtractor;
import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Layers unpacked once per layer chain, in the store, as overlay lower directories:
 * {@code <store>/v1/rootfs/<chainID hex>/} holds one layer's own files with its whiteouts in
 * overlayfs form (a {@code .wh.NAME} file becomes a 0/0 character device {@code NAME}, an
 * {@code .wh..wh..opq} marker the {@code user.overlay.opaque=y} xattr of its directory). Stacking
 * the directories of a chain, top first, gives the image's filesystem.
 *
 * <p>Extraction is hostile-input safe ({@link SafeExtractor}: confined names, owners, modes,
 * setuid bits, devices kept), goes to a temporary directory and is renamed into place, so a
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
        SafeExtractor.create().allowDevices(true).preserveOwners(true).applyWhiteouts(false).extract(in, fs);
      }
      toOverlayWhiteouts(fs);
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

  /** Turns {@code .wh.} files under {@code root} into overlayfs whiteouts and opaque xattrs. */
  static void toOverlayWhiteouts(Path root) throws IOException {
    List<Path> markers;
    try (Stream<Path> s = Files.walk(root)) {
      markers = s.filter(p -> p.getFileName().toString().startsWith(LayerPaths.WHITEOUT_PREFIX)
          && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
    }
    for (Path m : markers) {
      String name = m.getFileName().toString();
      Path parent = m.getParent();
      Files.delete(m);
      if (name.equals(LayerPaths.OPAQUE_MARKER)) {
        setOpaque(parent);
      } else {
        Path victim = parent.resolve(name.substring(LayerPaths.WHITEOUT_PREFIX.length()));
        Trees.delete(victim);
        Commands.run(List.of("mknod", victim.toString(), "c", "0", "0"));
      }
    }
  }

  static void setOpaque(Path dir) throws IOException {
    UserDefinedFileAttributeView view = Files.getFileAttributeView(dir, UserDefinedFileAttributeView.class,
        LinkOption.NOFOLLOW_LINKS);
    view.write(OPAQUE_XATTR, ByteBuffer.wrap("y".getBytes(StandardCharsets.US_ASCII)));
  }
}
