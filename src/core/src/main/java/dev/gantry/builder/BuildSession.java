package dev.gantry.builder;

import dev.gantry.exec.RootfsCache;
import dev.gantry.exec.RunExecutor;
import dev.gantry.exec.Runc;
import dev.gantry.exec.RunWorkspace;
import dev.gantry.layer.Compression;
import dev.gantry.oci.Blob;
import dev.gantry.oci.Blobs;
import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.plan.BaseImage;
import dev.gantry.plan.StageRef;
import dev.gantry.registry.ImageReference;
import dev.gantry.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * State shared by the stages of one build: the store, the contexts, the bases, options, the
 * results of finished stages (and their filesystems, built on demand), and the step outcomes.
 */
final class BuildSession {
  final String file;
  final String contextId;
  final MissExplainer explainer;
  final Store store;
  final Contexts contexts;
  final LayoutBases bases;
  final UrlSources urls;
  final BuildObserver observer;
  final Instant epoch;
  /** Clamp the times of files written into new layers to {@link #epoch}. */
  final boolean rewriteTimestamp;
  final Compression compression;
  final boolean noCache;
  final Path scratch;
  final Map<String, BuildSpec.Secret> secrets;
  final Map<String, Path> sshSockets;
  final Map<Integer, CompletableFuture<StageResult>> results = new ConcurrentHashMap<>();
  private final Map<Integer, FsTree> trees = new ConcurrentHashMap<>();
  private final Map<StageRef, FsTree> imageTrees = new ConcurrentHashMap<>();
  final List<BuildOutcome.StepOutcome> steps = Collections.synchronizedList(new ArrayList<>());
  final LayerIndexes indexes;
  /** Layers of cache hits whose blobs are still in the cache they were imported from. */
  final RemoteBlobs remote;
  /** The caches of {@code --cache-from}. */
  final CacheImports imports;
  private RunExecutor runExecutor;
  private Path memory;

  BuildSession(String file, String contextId, Store store, Contexts contexts, LayoutBases bases, UrlSources urls,
      BuildObserver observer, Instant epoch, boolean rewriteTimestamp, Compression compression, boolean noCache, Path scratch,
      Map<String, BuildSpec.Secret> secrets, Map<String, Path> sshSockets, RemoteBlobs remote, CacheImports imports) {
    this.file = file;
    this.contextId = contextId;
    this.explainer = new MissExplainer(store);
    this.store = store;
    this.contexts = contexts;
    this.bases = bases;
    this.urls = urls;
    this.observer = observer;
    this.epoch = epoch;
    this.rewriteTimestamp = rewriteTimestamp;
    this.compression = compression;
    this.noCache = noCache;
    this.scratch = scratch;
    this.secrets = Map.copyOf(secrets);
    this.sshSockets = Map.copyOf(sshSockets);
    this.indexes = new LayerIndexes(store, scratch, this::importBlob, imports::index);
    this.remote = remote;
    this.imports = imports;
  }

  /**
   * The RUN executor of this build (created on first use: rootfs cache in the store, runtime bundles
   * and state on the build's memory filesystem).
   */
  synchronized RunExecutor runExecutor() throws IOException {
    if (runExecutor == null) {
      memory();
      runExecutor = new RunExecutor(new RootfsCache(store), Runc.create(RunWorkspace.runtimeDirectory(scratch)));
    }
    return runExecutor;
  }

  /** The build's memory filesystem in the work directory (mounted on first use; see {@link RunWorkspace}). */
  synchronized Path memory() throws IOException {
    if (memory == null) {
      memory = RunWorkspace.mountMemory(scratch);
    }
    return memory;
  }

  /** Records the final filesystem of a stage (when its executor built one). */
  void tree(int stage, FsTree tree) {
    trees.put(stage, tree);
  }

  /** The final filesystem of a finished stage, built from its layers when not already known. */
  synchronized FsTree tree(int stage) throws IOException {
    FsTree t = trees.get(stage);
    if (t == null) {
      StageResult r = results.get(stage).join();
      t = fromLayers(r.layers(), r.config().rootfs().diffIds());
      trees.put(stage, t);
    }
    return t;
  }

  /** The filesystem of an image base ({@code COPY --from} an image or image context). */
  synchronized FsTree imageTree(StageRef ref, BaseImage image) throws IOException {
    FsTree t = imageTrees.get(ref);
    if (t == null) {
      // each layer's blob is fetched when its index or one of its files is needed
      t = fromLayers(image.layers(), image.config().rootfs().diffIds());
      imageTrees.put(ref, t);
    }
    return t;
  }

  /** Blob {@code d} of the store, fetched into it (see {@link #importBlob}) when first read. */
  Blob blob(Descriptor d) {
    return Blobs.of(d, () -> {
      importBlob(d);
      return Files.newInputStream(store.blobPath(d.digest()));
    });
  }

  /** Applies {@code layers} (in the store; {@code diffIds} their uncompressed digests) to an empty tree. */
  FsTree fromLayers(List<Descriptor> layers, List<Digest> diffIds) throws IOException {
    return apply(FsTree.empty(), layers, diffIds);
  }

  /** Applies {@code layers} to {@code tree} from their indexes; returns {@code tree}. */
  FsTree apply(FsTree tree, List<Descriptor> layers, List<Digest> diffIds) throws IOException {
    if (layers.size() != diffIds.size()) {
      throw new IOException("the image has " + layers.size() + " layers but its config lists "
          + diffIds.size() + " diff IDs");
    }
    for (int i = 0; i < layers.size(); i++) {
      tree.apply(indexes.entries(layers.get(i), diffIds.get(i)));
    }
    return tree;
  }

  /**
   * Takes note of a layer of a stage's base image: one pulled from a registry is fetched only when
   * a step needs its bytes (see {@link #importBlob}); any other is copied into the store now.
   */
  void baseLayer(Descriptor d) throws IOException {
    RegistryBases registry = bases.registry();
    ImageReference source = registry == null || store.hasBlob(d.digest()) ? null : registry.source(d.digest());
    if (source != null) {
      remote.add(d, new CacheOptions.Location.Registry(source));
    } else {
      importBlob(d);
    }
  }

  /**
   * Copies a blob of a base image or an imported cache into the store (verified), unless it is
   * there already: the moment a build needs a layer's bytes.
   */
  void importBlob(Descriptor d) throws IOException {
    Digest digest = d.digest();
    if (store.hasBlob(digest)) {
      return;
    }
    if (remote.knows(digest)) {
      remote.fetch(digest);
      return;
    }
    Path src = bases.blobPath(digest);
    if (src == null && bases.registry() != null && bases.registry().knows(digest)) {
      bases.registry().fetch(d);
      return;
    }
    if (src == null) {
      throw new IOException("blob " + digest + " of a base image is not available");
    }
    try (InputStream in = Files.newInputStream(src)) {
      store.putBlob(in, digest);
    }
  }
}
