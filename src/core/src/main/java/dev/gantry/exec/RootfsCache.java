package dev.gantry.exec;

import dev.gantry.layer.LayerEntry;
import dev.gantry.layer.SafeExtractor;
import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

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
 * directories are reused by later builds. A RUN's layer is not extracted at all: its upper
 * directory, made to hold exactly what the layer holds, is renamed into place ({@link #adopt}).
 */
public final class RootfsCache {
  /** The xattr (in the {@code user.} namespace, as mounted with {@code userxattr}) marking an opaque directory. */
  static final String OPAQUE_XATTR = SafeExtractor.OPAQUE_XATTR.substring("user.".length());
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
      chain = chain(chain, diffIds.get(i));
      Path target = dir.resolve(chain.hex());
      if (!Files.isDirectory(target)) {
        unpack(layers.get(i), target);
      }
      store.markUsed(target, layers.get(i).digest());
      out.add(target);
    }
    return out;
  }

  /**
   * Makes {@code snapshot}, the upper directory of the RUN whose layer is the last of {@code diffIds}
   * and was written from {@code written} with entry times mapped by {@code layerTime}, that chain's
   * directory, when it can hold exactly what the layer holds ({@link UpperSnapshot#toLower}) and
   * the chain has none yet; {@code layerBlob} is the stored layer (null when unknown), recorded as
   * the directory's source. Returns whether it did; otherwise the layer is extracted when needed.
   * The snapshot's directory must be on the store's filesystem (it is renamed).
   */
  public boolean adopt(UpperSnapshot snapshot, List<LayerEntry> written, UnaryOperator<Instant> layerTime,
      List<Digest> diffIds, Digest layerBlob) throws IOException {
    Path target = chainDir(diffIds);
    if (Files.isDirectory(target) || !snapshot.toLower(written, layerTime)) {
      return false;
    }
    if (!install(snapshot.directory(), target)) {
      return false;
    }
    snapshot.moved(target);
    store.markUsed(target, layerBlob);
    return true;
  }

  /** The directory of the chain whose layers have {@code diffIds}, bottom first. */
  private Path chainDir(List<Digest> diffIds) {
    Digest chain = null;
    for (Digest d : diffIds) {
      chain = chain(chain, d);
    }
    return dir.resolve(Objects.requireNonNull(chain, "no layers").hex());
  }

  /** The chain ID of a layer {@code diffId} over the chain {@code below} (null for the bottom layer). */
  private static Digest chain(Digest below, Digest diffId) {
    return below == null ? diffId : Digest.sha256(below + " " + diffId);
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
        SafeExtractor.create().allowDevices(true).preserveOwners(true).whiteouts(SafeExtractor.Whiteouts.OVERLAY)
            .extract(in, fs);
      }
      Files.setAttribute(fs, "unix:mode", 0755);
      if (!install(fs, target) && !Files.isDirectory(target)) {
        throw new AtomicMoveNotSupportedException(fs.toString(), target.toString(), "cannot rename atomically");
      }
    } finally {
      Trees.delete(tmp);
    }
  }
}
