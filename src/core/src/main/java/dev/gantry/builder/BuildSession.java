package dev.gantry.builder;

import dev.gantry.exec.ChrootRunner;
import dev.gantry.exec.RootfsCache;
import dev.gantry.exec.RunExecutor;
import dev.gantry.exec.RunIsolation;
import dev.gantry.exec.RunWorkspace;
import dev.gantry.exec.Runc;
import dev.gantry.layer.LayerEntry;
import dev.gantry.layer.TarLayerWriter;
import dev.gantry.layer.WrittenLayer;
import dev.gantry.model.BuildListener;
import dev.gantry.model.StepResult;
import dev.gantry.oci.Blob;
import dev.gantry.oci.Blobs;
import dev.gantry.oci.Compression;
import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.oci.IoTasks;
import dev.gantry.plan.BaseImage;
import dev.gantry.plan.StageRef;
import dev.gantry.registry.ImageReference;
import dev.gantry.registry.MountableBlob;
import dev.gantry.store.BlobSink;
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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * State shared by the stages of one build: the store, the contexts, the bases, options, the
 * results of finished stages (and their filesystems, built on demand), and the step outcomes.
 */
final class BuildSession {
  /** How many blobs a step fetches at once (from registries, layouts or caches). */
  private static final int FETCHERS = 4;
  final String file;
  final String contextId;
  final MissExplainer explainer;
  final Store store;
  final Contexts contexts;
  final LayoutBases bases;
  final UrlSources urls;
  final BuildListener listener;
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
  final List<StepResult> steps = Collections.synchronizedList(new ArrayList<>());
  final LayerIndexes indexes;
  /** How RUN steps run (null when the build has none). */
  final RunIsolation isolation;
  /** Layers of cache hits and registry bases whose blobs the store may not hold yet: where they are. */
  final RemoteBlobs remote;
  /** The caches of {@code --cache-from}. */
  final CacheImports imports;
  /**
   * The layers this build wrote from files it still has (COPY, ADD, WORKDIR), by diffID: their
   * entries exactly as their tars hold them, contents as handles on those files.
   */
  private final Map<Digest, List<LayerEntry>> writtenLayers = new ConcurrentHashMap<>();
  private RunExecutor runExecutor;
  private Path memory;

  /**
   * A session for {@code spec} on {@code store}: its contexts, bases and URL sources, who hears about
   * it, its work directory {@code scratch}, how its RUN steps run ({@code isolation}, null when it
   * has none), where absent layers are ({@code remote}) and the caches it imports.
   */
  BuildSession(BuildSpec spec, Store store, Contexts contexts, LayoutBases bases, UrlSources urls,
      BuildListener listener, Path scratch, RunIsolation isolation, RemoteBlobs remote, CacheImports imports) {
    this.file = spec.dockerfile().getFileName().toString();
    this.contextId = spec.context().toAbsolutePath().normalize() + "/" + spec.dockerfile().toAbsolutePath().normalize();
    this.explainer = new MissExplainer(store);
    this.store = store;
    this.contexts = contexts;
    this.bases = bases;
    this.urls = urls;
    this.listener = listener;
    this.epoch = Instant.ofEpochSecond(spec.epoch());
    this.rewriteTimestamp = spec.rewriteTimestamp();
    this.compression = spec.compression();
    this.noCache = spec.noCache();
    this.scratch = scratch;
    this.secrets = spec.secrets();
    this.sshSockets = spec.sshSockets();
    this.indexes = new LayerIndexes(store, scratch, this::importBlob, imports::index);
    this.isolation = isolation;
    this.remote = remote;
    this.imports = imports;
  }

  /**
   * The RUN executor of this build, for its isolation (created on first use: rootfs cache in the
   * store; with runc, runtime bundles and state on the build's memory filesystem).
   */
  synchronized RunExecutor runExecutor() throws IOException {
    if (runExecutor == null) {
      RunIsolation.Mode mode = isolation == null ? RunIsolation.Mode.ROOT : isolation.mode();
      if (mode == RunIsolation.Mode.CHROOT) {
        // no memory filesystem can be mounted; chroot mode has no bundles and takes no secrets
        runExecutor = new RunExecutor(rootfsCache(), ChrootRunner.create());
      } else {
        memory();
        runExecutor = new RunExecutor(rootfsCache(),
            Runc.create(RunWorkspace.runtimeDirectory(scratch), mode == RunIsolation.Mode.ROOTLESS));
      }
    }
    return runExecutor;
  }

  /**
   * The store's unpacked layers, extracting a layer this build wrote from files from those files
   * (see {@link #writtenTar}) rather than from its blob.
   */
  RootfsCache rootfsCache() throws IOException {
    return new RootfsCache(store, this::writtenTar);
  }

  /** How this build writes layers: its epoch, its compression, entry times as given (clamped before). */
  TarLayerWriter layerWriter() {
    return TarLayerWriter.create().withSourceDateEpoch(epoch).withCompression(compression).keepingTimes();
  }

  /**
   * Remembers, for the rest of the build, that {@code layer} was written from files the build
   * still has: {@code planned} are its entries exactly as its tar holds them. Not when its blob is
   * uncompressed or compressed to more than 90% of its tar: such a blob is read (or inflated, its
   * deflate blocks mostly stored) faster than its tar is written again.
   */
  void written(WrittenLayer layer, List<LayerEntry> planned) {
    if (layer.compression() != Compression.NONE && layer.size() * 10 < layer.uncompressedSize() * 9) {
      writtenLayers.put(layer.diffId(), planned);
    }
  }

  /** The uncompressed tar of a layer {@link #written} this build, written again from its entries. */
  private Optional<InputStream> writtenTar(Digest diffId) throws IOException {
    List<LayerEntry> planned = writtenLayers.get(diffId);
    return planned == null ? Optional.empty() : Optional.of(layerWriter().open(planned));
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
      t = indexes.tree(image.layers(), image.config().rootfs().diffIds());
      imageTrees.put(ref, t);
    }
    return t;
  }

  /**
   * Layer {@code d} (uncompressed digest {@code diffId}, null: not known) of the store as a blob: fetched
   * into it (see {@link #importBlob}) when first read, and a {@link MountableBlob} when a registry
   * repository holds it (a pulled base's, an imported cache's), so a push there mounts it unread.
   */
  Blob blob(Descriptor d, Digest diffId) {
    Blob b = Blobs.of(d, () -> {
      importBlob(d, diffId);
      return Files.newInputStream(store.blobPath(d.digest()));
    });
    ImageReference from = remote.repository(d.digest());
    if (from == null && bases.registry() != null) {
      from = bases.registry().source(d.digest());
    }
    return from == null ? b : new MountableBlob(b, from);
  }

  /** Applies {@code layers} (in the store; {@code diffIds} their uncompressed digests) to an empty tree. */
  FsTree fromLayers(List<Descriptor> layers, List<Digest> diffIds) throws IOException {
    return apply(FsTree.empty(), layers, diffIds);
  }

  /** Applies {@code layers} to {@code tree} from their indexes; returns {@code tree}. */
  FsTree apply(FsTree tree, List<Descriptor> layers, List<Digest> diffIds) throws IOException {
    LayerIndexes.requireDiffIds(layers, diffIds);
    for (int i = 0; i < layers.size(); i++) {
      tree.apply(indexes.entries(layers.get(i), diffIds.get(i)));
    }
    return tree;
  }

  /**
   * Takes note of the layers of a stage's base image ({@code diffIds} their uncompressed digests):
   * one pulled from a registry is fetched only when a step needs its bytes or index (see
   * {@link #importBlob}), and its repository is noted in the store, where a later push of an image
   * kept under a tag finds it to mount from; any other layer is copied into the store now, indexed
   * in the same pass only when {@code index} (a stage that only runs commands reads its base
   * through the unpacked layers, and its index is made if something needs it later).
   */
  void baseLayers(List<Descriptor> layers, List<Digest> diffIds, boolean index) throws IOException {
    RegistryBases registry = bases.registry();
    for (int i = 0; i < layers.size(); i++) {
      Descriptor d = layers.get(i);
      ImageReference source = registry == null ? null : registry.source(d.digest());
      if (source != null) {
        remote.add(d, new CacheOptions.Location.Registry(source));
      } else {
        importBlob(d, index && layers.size() == diffIds.size() ? diffIds.get(i) : null);
      }
    }
  }

  /**
   * Copies the layer blobs of an image into the store (verified), unless they are there already,
   * indexing each in the same pass ({@code diffIds} are their uncompressed digests).
   */
  void importBlobs(List<Descriptor> layers, List<Digest> diffIds) throws IOException {
    importBlobs(layers, diffIds, true);
  }

  /**
   * Like {@link #importBlobs(List, List)}, indexing only when {@code index} (see {@link #baseLayers});
   * the missing blobs are fetched side by side.
   */
  void importBlobs(List<Descriptor> layers, List<Digest> diffIds, boolean index) throws IOException {
    List<IoTasks.Task> fetches = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      Descriptor d = layers.get(i);
      Digest diffId = index && layers.size() == diffIds.size() ? diffIds.get(i) : null;
      if (!store.hasBlob(d.digest())) {
        fetches.add(() -> importBlob(d, diffId));
      }
    }
    IoTasks.runAll(fetches, FETCHERS, "gantry-fetch");
  }

  /**
   * Copies a blob of a base image or an imported cache into the store (verified), unless it is
   * there already: the moment a build needs a layer's bytes. A layer with uncompressed digest
   * {@code diffId} (null: not known) is indexed as it streams in.
   */
  void importBlob(Descriptor d, Digest diffId) throws IOException {
    Digest digest = d.digest();
    if (store.hasBlob(digest)) {
      return;
    }
    BlobSink sink = diffId == null ? store::putBlob : indexes.intake(diffId);
    if (remote.knows(digest)) {
      remote.fetch(digest, sink);
      return;
    }
    Path src = bases.blobPath(digest);
    if (src == null && bases.registry() != null && bases.registry().knows(digest)) {
      bases.registry().fetch(d, sink);
      return;
    }
    if (src == null) {
      throw new IOException("blob " + digest + " of a base image is not available");
    }
    try (InputStream in = Files.newInputStream(src)) {
      sink.put(in, digest);
    }
  }
}
