package dev.gantry.exec;

import dev.gantry.layer.LayerEntry;
import dev.gantry.layer.SafeExtractor;
import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.oci.IoTasks;
import dev.gantry.oci.VerifyingInputStream;
import dev.gantry.store.Store;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import java.util.Optional;
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
 * A layer whose tar can be had without its blob ({@link LayerTars}: one the build wrote from files
 * it still has) is extracted from that tar, hashed as it is read: the directory is installed only
 * when the tar's digest is the layer's diffID, else it is thrown away and the blob unpacked.
 */
public final class RootfsCache {
  /** The xattr (in the {@code user.} namespace, as mounted with {@code userxattr}) marking an opaque directory. */
  static final String OPAQUE_XATTR = SafeExtractor.OPAQUE_XATTR.substring("user.".length());
  /** How many layers are unpacked at once: inflating is work for a core, creating files for the disk. */
  private static final int UNPACKERS = Math.min(4, Math.max(2, Runtime.getRuntime().availableProcessors()));
  /** How every layer is extracted: owners, devices and whiteouts in overlay form kept. */
  private static final SafeExtractor EXTRACTOR = SafeExtractor.create().allowDevices(true).preserveOwners(true)
      .whiteouts(SafeExtractor.Whiteouts.OVERLAY);
  private final Store store;
  private final Path dir;
  private final LayerTars tars;

  /**
   * Where the uncompressed tar of a layer can be had other than by decompressing its blob: from the
   * entries a build wrote it from.
   */
  @FunctionalInterface
  public interface LayerTars {
    /**
     * A stream of the uncompressed tar of the layer whose digest is {@code diffId}, or empty when
     * there is none. The stream is checked against {@code diffId}: it may differ (a file changed
     * since the layer was written) or fail, and the blob is then unpacked.
     */
    Optional<InputStream> open(Digest diffId) throws IOException;
  }

  /** A cache under {@code store.root()/v1/rootfs} that unpacks layers from their blobs. */
  public RootfsCache(Store store) throws IOException {
    this(store, diffId -> Optional.empty());
  }

  /** A cache under {@code store.root()/v1/rootfs} that extracts a layer from {@code tars} when they have it. */
  public RootfsCache(Store store, LayerTars tars) throws IOException {
    this.store = store;
    this.dir = Files.createDirectories(store.root().resolve("v1").resolve("rootfs"));
    this.tars = Objects.requireNonNull(tars);
  }

  /** The directory holding the unpacked chains (overlay lower paths are relative to it). */
  public Path directory() {
    return dir;
  }

  /**
   * The unpacked directories of {@code layers} (blobs in the store) whose uncompressed digests are
   * {@code diffIds}, bottom layer first; unpacks those not yet cached (from {@link LayerTars} when
   * they have a layer and its tar matches its diffID, else from the blob).
   */
  public List<Path> lowerDirs(List<Descriptor> layers, List<Digest> diffIds) throws IOException {
    if (layers.size() != diffIds.size()) {
      throw new IllegalArgumentException(layers.size() + " layers but " + diffIds.size() + " diff ids");
    }
    List<Path> out = new ArrayList<>();
    List<IoTasks.Task> missing = new ArrayList<>();
    Digest chain = null;
    for (int i = 0; i < layers.size(); i++) {
      chain = chain(chain, diffIds.get(i));
      Path target = dir.resolve(chain.hex());
      if (!Files.isDirectory(target)) {
        Descriptor layer = layers.get(i);
        Digest diffId = diffIds.get(i);
        missing.add(() -> {
          if (!regenerated(diffId, target)) {
            unpack(layer, target);
          }
        });
      }
      out.add(target);
    }
    // each layer has a directory of its own: they are unpacked side by side
    IoTasks.runAll(missing, UNPACKERS, "gantry-unpack");
    for (int i = 0; i < layers.size(); i++) {
      store.markUsed(out.get(i), layers.get(i).digest());
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
    extract(target, fs -> {
      try (InputStream in = store.openBlob(layer.digest())) {
        EXTRACTOR.extract(in, fs);
      }
    });
  }

  /**
   * Extracts the tar {@link #tars} give for {@code diffId} into {@code target}, reading it to its
   * end and installing the directory only when its digest is {@code diffId}; false when they give
   * none or it failed or differed (nothing installed; the blob decides).
   */
  private boolean regenerated(Digest diffId, Path target) {
    try (InputStream tar = tars.open(diffId).orElse(null)) {
      if (tar == null) {
        return false;
      }
      VerifyingInputStream in = VerifyingInputStream.of(tar, diffId,
          (actual, size) -> new IOException("the tar of layer " + diffId + " regenerated as " + actual));
      extract(target, fs -> {
        EXTRACTOR.extract(new KeptOpen(in), fs);
        in.transferTo(OutputStream.nullOutputStream());
      });
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Fills a directory by {@code fill}, in a temporary directory renamed to {@code target} when it succeeded. */
  private void extract(Path target, Fill fill) throws IOException {
    Path tmp = Files.createTempDirectory(dir, ".tmp-");
    try {
      Path fs = tmp.resolve("fs");
      fill.into(fs);
      Files.setAttribute(fs, "unix:mode", 0755);
      if (!install(fs, target) && !Files.isDirectory(target)) {
        throw new AtomicMoveNotSupportedException(fs.toString(), target.toString(), "cannot rename atomically");
      }
    } finally {
      Trees.delete(tmp);
    }
  }

  /** Writes a layer's files into a directory. */
  @FunctionalInterface
  private interface Fill {
    void into(Path fs) throws IOException;
  }

  /** A stream whose {@code close} leaves its source open, so what the extractor leaves of a tar can still be read. */
  private static final class KeptOpen extends FilterInputStream {
    KeptOpen(InputStream in) {
      super(in);
    }

    @Override
    public void close() {
      // the source is read to its end, then closed, by whoever opened it
    }
  }
}
