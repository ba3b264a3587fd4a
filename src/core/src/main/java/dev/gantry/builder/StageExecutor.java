package dev.gantry.builder;

import dev.gantry.ast.SourceRange;
import dev.gantry.exec.RunExecutor;
import dev.gantry.exec.UpperSnapshot;
import dev.gantry.layer.LayerEntry;
import dev.gantry.layer.TarLayerWriter;
import dev.gantry.layer.WrittenLayer;
import dev.gantry.model.BuildEvent;
import dev.gantry.model.BuildException;
import dev.gantry.model.StepResult;
import dev.gantry.oci.Descriptor;
import dev.gantry.oci.ImageConfig;
import dev.gantry.plan.PlannedStage;
import dev.gantry.plan.PlannedStep;
import dev.gantry.plan.StageRef;
import dev.gantry.plan.StepAction;
import dev.gantry.store.BlobWriter;
import dev.gantry.store.CacheRecord;
import dev.gantry.store.CachedLayer;
import dev.gantry.store.StoredBlob;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds one planned stage: for each step, reuses the cached result of its key or executes it
 * (writing a reproducible layer into the store), and assembles the stage's image config.
 */
final class StageExecutor {
  private static final String HISTORY_COMMENT = "buildkit.dockerfile.v0";
  private final BuildSession session;
  private final PlannedStage stage;
  private ImageConfig config;
  /** History entries and diffIDs not yet in {@link #config}: appending them one by one copies the lists per step. */
  private final List<ImageConfig.History> newHistory = new ArrayList<>();
  private final List<dev.gantry.oci.Digest> newDiffIds = new ArrayList<>();
  private final List<Descriptor> layers = new ArrayList<>();
  private final int baseLayerCount;
  /**
   * Whether a step reads the stage's view (COPY, ADD, WORKDIR; RUN reads unpacked layers): only
   * then are the layers it copies into the store indexed in the same pass.
   */
  private final boolean view;
  private FsTree tree;
  private boolean treeStale;

  StageExecutor(BuildSession session, PlannedStage stage, StageResult parent) throws IOException {
    this.session = session;
    this.stage = stage;
    this.view = stage.steps().stream().anyMatch(s -> s.action() instanceof StepAction.CopyFiles
        || s.action() instanceof StepAction.MakeDirectory);
    if (stage.base() instanceof StageRef.Scratch) {
      this.config = ImageConfig.empty(stage.platform());
    } else if (parent != null) {
      this.config = parent.config();
      this.layers.addAll(parent.layers());
    } else {
      this.config = stage.baseImage().config();
      session.baseLayers(stage.baseImage().layers(), config.rootfs().diffIds(), view);
      layers.addAll(stage.baseImage().layers());
    }
    this.baseLayerCount = layers.size();
    this.treeStale = true;
  }

  StageResult run() throws BuildException {
    for (PlannedStep step : stage.steps()) {
      runStep(step);
    }
    ImageConfig out = config().withConfig(stage.resultConfig()).withCreated(session.epoch)
        .withPlatform(stage.platform());
    if (!stage.steps().isEmpty() && stage.author() != null && !stage.author().isEmpty()) {
      out = out.withAuthor(stage.author());
    }
    if (tree != null && !treeStale) {
      session.tree(stage.index(), tree);
    }
    return new StageResult(stage, out, layers);
  }

  private static BuildEvent.StepId ref(PlannedStep step) {
    return new BuildEvent.StepId(step.stage(), step.number(), step.count(), step.text());
  }

  private void runStep(PlannedStep step) throws BuildException {
    BuildEvent.StepId ref = ref(step);
    long t0 = System.nanoTime();
    dev.gantry.oci.Digest position = MissExplainer.position(session.contextId, session.file, stage.name(), step.number());
    try {
      Optional<CacheRecord> hit = session.noCache ? Optional.empty() : lookup(step);
      Optional<String> why = hit.isEmpty() && !session.noCache
          ? session.explainer.explain(position, step.key()).or(() -> session.imports.explain(step.key()))
          : Optional.empty();
      session.explainer.remember(position, step.key());
      if (step.configOnly()) {
        if (hit.isEmpty()) {
          session.listener.onEvent(new BuildEvent.Started(ref));
          why.ifPresent(r -> session.listener.onEvent(new BuildEvent.CacheMiss(ref, r)));
          session.store.record(step.key().digest(), CacheRecord.ofConfig(step.key().preimage(), "{}"));
        }
        history(step, null);
        finish(ref, step, hit.isPresent(), t0);
        return;
      }
      if (hit.isPresent() && usable(hit.get())) {
        session.listener.onEvent(new BuildEvent.Cached(ref));
        List<CachedLayer> cached = hit.get().layers();
        history(step, cached.isEmpty() ? null : cached.get(0));
        treeStale = true;
        finish(ref, step, true, t0);
        return;
      }
      session.listener.onEvent(new BuildEvent.Started(ref));
      why.ifPresent(r -> session.listener.onEvent(new BuildEvent.CacheMiss(ref, r)));
      Change change = execute(step);
      List<LayerEntry> entries = change.entries();
      CachedLayer written = entries.isEmpty() ? null
          : write(entries, !(step.action() instanceof StepAction.RunCommand));
      if (tree != null) {
        tree.apply(entries);
      }
      CacheRecord rec = written == null
          ? new CacheRecord(List.of(), "", Map.of("empty", "true"), step.key().preimage())
          : CacheRecord.ofLayer(step.key().preimage(), written);
      session.store.record(step.key().digest(), rec);
      history(step, written);
      if (written != null && change.upper().isPresent()) {
        session.runExecutor().keep(change.upper().get(), entries, writer()::entryTime, config().rootfs().diffIds(),
            written.digest());
      }
      finish(ref, step, false, t0);
    } catch (StepException e) {
      session.listener.onEvent(new BuildEvent.Failed(ref, e.getMessage()));
      throw new BuildException(position(step.range()) + step.text() + ": " + e.getMessage(), e.hint(), e);
    } catch (IOException | RuntimeException e) {
      String msg = e.getMessage() == null ? e.toString() : e.getMessage();
      session.listener.onEvent(new BuildEvent.Failed(ref, msg));
      throw new BuildException(position(step.range()) + step.text() + ": " + msg, null, e);
    }
  }

  /**
   * The cached result of {@code step}: the store's record, else an imported cache's (recorded in the
   * store with its layers' locations, so later builds find it too). The layers of a hit whose blobs
   * are elsewhere are remembered, to be fetched when a step needs their files.
   */
  private Optional<CacheRecord> lookup(PlannedStep step) throws IOException {
    Optional<CacheRecord> hit = session.store.lookup(step.key().digest(), step.key().preimage());
    if (hit.isEmpty()) {
      hit = session.imports.lookup(step.key());
      if (hit.isPresent()) {
        session.store.record(step.key().digest(), hit.get());
      }
    }
    if (hit.isPresent()) {
      session.remote.add(hit.get().layers());
    }
    return hit;
  }

  private boolean usable(CacheRecord rec) {
    return rec.layers().isEmpty() ? "true".equals(rec.attributes().get("empty"))
        : rec.layers().get(0).mediaType().equals(session.compression.mediaType());
  }

  private void finish(BuildEvent.StepId ref, PlannedStep step, boolean cached, long t0) {
    Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
    if (cached && step.configOnly()) {
      session.listener.onEvent(new BuildEvent.Cached(ref));
    }
    session.listener.onEvent(new BuildEvent.Done(ref, elapsed));
    session.steps.add(new StepResult(ref, step.key().digest(), cached, elapsed));
  }

  private void history(PlannedStep step, CachedLayer layer) {
    ImageConfig.History h = new ImageConfig.History(session.epoch, step.createdBy(), "", HISTORY_COMMENT,
        layer == null);
    newHistory.add(h);
    if (layer != null) {
      newDiffIds.add(layer.diffId());
      layers.add(Descriptor.of(layer.mediaType(), layer.digest(), layer.size()));
    }
  }

  /** The stage's image config with every step so far in its history and rootfs. */
  private ImageConfig config() {
    if (!newHistory.isEmpty()) {
      List<ImageConfig.History> history = new ArrayList<>(config.history());
      history.addAll(newHistory);
      List<dev.gantry.oci.Digest> diffIds = new ArrayList<>(config.rootfs().diffIds());
      diffIds.addAll(newDiffIds);
      String type = config.rootfs().type().isEmpty() ? "layers" : config.rootfs().type();
      config = config.withHistory(history)
          .withRootfs(newDiffIds.isEmpty() ? config.rootfs() : new ImageConfig.RootFs(type, diffIds));
      newHistory.clear();
      newDiffIds.clear();
    }
    return config;
  }

  private TarLayerWriter writer() {
    return session.layerWriter();
  }

  /**
   * Writes the layer of {@code entries} into the store; when {@code fromFiles} (their contents are
   * files the build keeps to its end, not a RUN's upper directory), the session may remember them
   * ({@link BuildSession#written}), so a later RUN gets the layer's directory from them.
   */
  private CachedLayer write(List<LayerEntry> entries, boolean fromFiles) throws IOException {
    try (BlobWriter out = session.store.newBlobWriter()) {
      List<List<LayerEntry>> planned = new ArrayList<>(1);
      WrittenLayer wl = writer().write(entries, out, planned::add);
      StoredBlob blob = out.commit(wl.digest());
      session.indexes.written(wl.diffId(), planned.get(0));
      if (fromFiles) {
        session.written(wl, planned.get(0));
      }
      return new CachedLayer(blob.digest(), wl.diffId(), blob.size(), session.compression.mediaType());
    }
  }

  /** What a step changed: its layer entries and, for a RUN, its upper directory. */
  private record Change(List<LayerEntry> entries, Optional<UpperSnapshot> upper) {
    static Change of(List<LayerEntry> entries) {
      return new Change(entries, Optional.empty());
    }
  }

  private Change execute(PlannedStep step) throws IOException, StepException {
    if (step.action() instanceof StepAction.RunCommand r) {
      RunExecutor.Result result = new RunStep(session, ref(step)).run(r, layers, config().rootfs().diffIds(), view);
      return new Change(times(result.entries(), null), result.upper());
    }
    FsTree current = currentTree();
    if (step.action() instanceof StepAction.CopyFiles c) {
      CopyStep copy = new CopyStep(session, current, stage);
      List<LayerEntry> written = copy.run(c.spec());
      copy.notes().forEach(n -> session.listener.onEvent(new BuildEvent.Message("warning: " + position(step.range()) + step.text() + ": " + n)));
      return Change.of(times(written, current));
    }
    if (step.action() instanceof StepAction.MakeDirectory m) {
      CopyExecutor.Owner owner = m.user() == null ? null : CopyStep.owner(current, m.user());
      CopyExecutor ex = new CopyExecutor(current, owner, null, session.epoch);
      ex.mkdirs(m.path());
      return Change.of(times(ex.layer(), current));
    }
    throw new IllegalStateException("unknown step action " + step.action());
  }

  /** A step's entries with their times as the layer gets them ({@link LayerTimes}). */
  private List<LayerEntry> times(List<LayerEntry> entries, FsTree below) {
    return session.rewriteTimestamp ? LayerTimes.clamp(entries, session.epoch, below) : entries;
  }

  /**
   * The stage's filesystem before the current step, assembled from the indexes of its layers when
   * cached steps were skipped (no layer's bytes are read).
   */
  private FsTree currentTree() throws IOException {
    if (tree != null && !treeStale) {
      return tree;
    }
    FsTree t;
    if (stage.base() instanceof StageRef.OfStage s) {
      t = session.tree(s.index()).copy();
    } else if (stage.base() instanceof StageRef.Scratch) {
      t = FsTree.empty();
    } else {
      t = session.imageTree(stage.base(), stage.baseImage()).copy();
    }
    List<dev.gantry.oci.Digest> diffIds = config().rootfs().diffIds();
    session.apply(t, layers.subList(baseLayerCount, layers.size()),
        diffIds.subList(Math.min(baseLayerCount, diffIds.size()), diffIds.size()));
    tree = t;
    treeStale = false;
    return t;
  }

  private String position(SourceRange r) {
    return session.file + ":" + r.startLine() + ":" + r.startColumn() + ": ";
  }
}
