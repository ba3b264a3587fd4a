package dev.gantry.exec;

import dev.gantry.layer.LayerEntry;
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
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
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
 * directories are reused by later builds. A RUN's layer is not extracted at all: its upper
 * directory, made to hold exactly what the layer holds, is renamed into place ({@link #adopt}).
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
    for (int i = 0; i < layers.size(); i++) {
      Path target = chainDir(diffIds.subList(0, i + 1));
      if (!Files.isDirectory(target)) {
        unpack(layers.get(i), target);
      }
      out.add(target);
    }
    return out;
  }

  /**
   * Makes {@code snapshot}, the upper directory of the RUN whose layer is the last of {@code diffIds}
   * and was written from {@code written} with entry times mapped by {@code layerTime}, that chain's
   * directory, when it can hold exactly what the layer holds ({@link UpperSnapshot#toLower}) and
   * the chain has none yet. Returns whether it did; otherwise the layer is extracted when needed.
   * The snapshot's directory must be on the store's filesystem (it is renamed).
   */
  public boolean adopt(UpperSnapshot snapshot, List<LayerEntry> written, UnaryOperator<Instant> layerTime,
      List<Digest> diffIds) throws IOException {
    Path target = chainDir(diffIds);
    if (Files.isDirectory(target) || !snapshot.toLower(written, layerTime)) {
      return false;
    }
    if (!install(snapshot.directory(), target)) {
      return false;
    }
    snapshot.moved(target);
    return true;
  }

  /** The directory of the chain whose layers have {@code diffIds}, bottom first. */
  private Path chainDir(List<Digest> diffIds) {
    Digest chain = null;
    for (Digest d : diffIds) {
      chain = chain == null ? d : Digest.sha256(chain + " " + d);
    }
    return dir.resolve(Objects.requireNonNull(chain, "no layers").hex());
  }

  /**
   * Renames {@code fs} to {@code target}; false when another build got there first (the JDK reports
   * the {@code ENOTEMPTY} of that rename as a bare {@link FileSystemException}) or the rename cannot
   * be atomic.
   */
  private static boolean install(Path fs, Path target) throws IOException {
    try {
      Files.move(fs, target, StandardCopyOption.ATOMIC_MOVE);
      return true;
    } catch (AtomicMoveNotSupportedException e) {
      return false;
    } catch (FileSystemException e) {
      if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        throw e;
      }
      return false;
    }
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
      if (!install(fs, target) && !Files.isDirectory(target)) {
        throw new AtomicMoveNotSupportedException(fs.toString(), target.toString(), "cannot rename atomically");
      }
    } finally {
      Trees.delete(tmp);
    }
  }

  /**
   * Turns {@code .wh.} files under {@code root} into overlayfs whiteouts and opaque xattrs. The
   * whiteouts are hard links to one 0/0 character device made beside {@code root} (as overlayfs
   * shares its own whiteout inode), so a layer deleting many paths costs one {@code mknod}; the
   * directories holding markers keep the modification times the layer gave them.
   */
  static void toOverlayWhiteouts(Path root) throws IOException {
    List<Path> markers;
    try (Stream<Path> s = Files.walk(root)) {
      markers = s.filter(p -> p.getFileName().toString().startsWith(LayerPaths.WHITEOUT_PREFIX)
          && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
    }
    Path whiteout = null;
    Map<Path, FileTime> times = new LinkedHashMap<>();
    for (Path m : markers) {
      String name = m.getFileName().toString();
      Path parent = m.getParent();
      if (!times.containsKey(parent)) {
        times.put(parent, Files.getLastModifiedTime(parent, LinkOption.NOFOLLOW_LINKS));
      }
      Files.delete(m);
      if (name.equals(LayerPaths.OPAQUE_MARKER)) {
        setOpaque(parent);
      } else {
        if (whiteout == null) {
          whiteout = root.resolveSibling(".whiteout");
          Commands.run(List.of("mknod", "-m", "000", whiteout.toString(), "c", "0", "0"));
        }
        Path victim = parent.resolve(name.substring(LayerPaths.WHITEOUT_PREFIX.length()));
        Trees.delete(victim);
        Files.createLink(victim, whiteout);
      }
    }
    for (Map.Entry<Path, FileTime> t : times.entrySet()) {
      Files.getFileAttributeView(t.getKey(), BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
          .setTimes(t.getValue(), null, null);
    }
  }

  static void setOpaque(Path dir) throws IOException {
    UserDefinedFileAttributeView view = Files.getFileAttributeView(dir, UserDefinedFileAttributeView.class,
        LinkOption.NOFOLLOW_LINKS);
    view.write(OPAQUE_XATTR, ByteBuffer.wrap("y".getBytes(StandardCharsets.US_ASCII)));
  }
}
