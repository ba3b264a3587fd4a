package dev.gantry.builder;

import dev.gantry.model.BuildEvent;
import dev.gantry.oci.Blob;
import dev.gantry.oci.Blobs;
import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.oci.Image;
import dev.gantry.oci.Manifest;
import dev.gantry.oci.MediaType;
import dev.gantry.oci.OciLayoutWriter;
import dev.gantry.plan.BuildPlan;
import dev.gantry.plan.PlannedStage;
import dev.gantry.plan.PlannedStep;
import dev.gantry.plan.StageRef;
import dev.gantry.registry.ImageReference;
import dev.gantry.registry.MountableBlob;
import dev.gantry.registry.Registries;
import dev.gantry.store.CacheRecord;
import dev.gantry.store.CachedLayer;
import dev.gantry.store.LayerIndex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Exports a finished build's cache results ({@code --cache-to}) as one OCI artifact: an image
 * manifest whose config is the {@link CacheDocument} and whose layers are every blob it names (the
 * layers, their indexes and the preimages), so a registry's garbage collection keeps them. Pushed with the image
 * push code (blobs the repository has are skipped, blobs of another repository mounted), or
 * written to an OCI layout directory under the tag {@value #TAG}. A failed export is a warning:
 * the build it follows has succeeded.
 */
final class CacheExports {
  /** The tag of the cache artifact in a directory cache. */
  static final String TAG = "cache";
  /** How old a blob of a directory cache must be before an export that no longer names it removes it. */
  static final Duration PRUNE_GRACE = Duration.ofMinutes(10);

  private CacheExports() {}

  /** Writes every export of {@code exports}; failures become warnings. */
  static void exportAll(List<CacheOptions.Export> exports, BuildPlan plan, BuildSession session,
      Registries registries) {
    for (CacheOptions.Export export : exports) {
      try {
        export(export, plan, session, registries);
      } catch (IOException | RuntimeException e) {
        session.listener.onEvent(new BuildEvent.Message("warning: cache export to " + export.location() + " failed: "
            + e.getMessage() + " (the build itself succeeded)"));
      }
    }
  }

  private static void export(CacheOptions.Export export, BuildPlan plan, BuildSession session,
      Registries registries) throws IOException {
    List<CacheDocument.Entry> entries = new ArrayList<>();
    Map<Digest, Descriptor> blobs = new LinkedHashMap<>();
    Map<Digest, Descriptor> indexes = new LinkedHashMap<>();
    Map<Digest, Digest> diffIds = new HashMap<>();
    List<PlannedStage> stages = stages(plan, export.everyStage());
    for (PlannedStage stage : stages) {
      if (stage.baseImage() != null) {
        for (Digest diffId : stage.baseImage().config().rootfs().diffIds()) {
          addIndex(diffId, session, indexes, blobs);
        }
      }
    }
    List<PlannedStep> steps = new ArrayList<>();
    stages.forEach(s -> steps.addAll(s.steps()));
    for (PlannedStep step : steps) {
      Optional<CacheRecord> rec = session.store.lookup(step.key().digest(), step.key().preimage());
      if (rec.isEmpty() || blobs.containsKey(step.key().digest())) {
        continue;
      }
      byte[] preimage = step.key().preimage().getBytes(StandardCharsets.UTF_8);
      if (!Digest.sha256(preimage).equals(step.key().digest())) {
        continue;
      }
      session.store.putBlob(preimage);
      List<CachedLayer> layers = new ArrayList<>();
      for (CachedLayer l : rec.get().layers()) {
        layers.add(new CachedLayer(l.digest(), l.diffId(), l.size(), l.mediaType()));
        blobs.putIfAbsent(l.digest(), Descriptor.of(l.mediaType(), l.digest(), l.size()));
        diffIds.put(l.digest(), l.diffId());
        addIndex(l.diffId(), session, indexes, blobs);
      }
      session.remote.add(rec.get().layers());
      CacheDocument.Entry e = new CacheDocument.Entry(step.key().digest(), CacheDocument.parentOf(
          step.key().preimage()), preimage.length, layers, rec.get().configJson(), rec.get().attributes());
      blobs.put(e.key(), e.preimage());
      entries.add(e);
    }
    Blob config = Blobs.of(CacheDocument.MEDIA_TYPE, new CacheDocument(entries, indexes).toJson());
    session.store.putBlob(Blobs.readAll(config));
    List<Descriptor> layers = new ArrayList<>(blobs.values());
    byte[] manifest = Manifest.oci(config.descriptor(), layers).toJson();
    List<Blob> layerBlobs = new ArrayList<>();
    for (Descriptor d : layers) {
      // a layer is mounted from where the build knows it is; a preimage or an index from the cache it was imported from
      Blob b = session.blob(d, diffIds.get(d.digest()));
      ImageReference imported = session.imports.repository(d.digest());
      layerBlobs.add(imported != null && !(b instanceof MountableBlob) ? new MountableBlob(b, imported) : b);
    }
    Image artifact = new Image(Blobs.of(MediaType.OCI_MANIFEST, manifest), config, layerBlobs);
    if (export.location() instanceof CacheOptions.Location.Registry g) {
      Pushes.run(registries, artifact, List.of(g.reference()), session.listener);
    } else {
      OciLayoutWriter layout = OciLayoutWriter.at(((CacheOptions.Location.Directory) export.location()).directory());
      layout.write(artifact, List.of(TAG));
      // the blobs of earlier exports that this one no longer names go, as a registry's garbage
      // collection would take them (those written in the last minutes are left to writers in flight)
      OciLayoutWriter.Pruned pruned = layout.pruneUnreferenced(PRUNE_GRACE);
      session.listener.onEvent(new BuildEvent.Message("cache exported to " + export.location() + " (" + entries.size()
          + " steps" + (pruned.blobs() == 0 ? "" : "; " + pruned.blobs() + " unused blobs removed, "
          + pruned.bytes() + " bytes") + ")"));
    }
  }

  /**
   * Adds the index of layer {@code diffId}, when the store or this JVM's memory (an index another
   * build of the JVM made) has one, to the exported blobs.
   */
  private static void addIndex(Digest diffId, BuildSession session, Map<Digest, Descriptor> indexes,
      Map<Digest, Descriptor> blobs) throws IOException {
    if (indexes.containsKey(diffId)) {
      return;
    }
    Optional<byte[]> index = session.store.layerIndexBytes(diffId);
    LayerIndex known = LayerIndexes.cached(diffId);
    if (index.isEmpty() && known != null) {
      session.store.putLayerIndex(known);
      index = session.store.layerIndexBytes(diffId);
    }
    if (index.isPresent()) {
      Descriptor d = Descriptor.of(CacheDocument.INDEX_TYPE, session.store.putBlob(index.get()).digest(),
          index.get().length);
      indexes.put(diffId, d);
      blobs.putIfAbsent(d.digest(), d);
    }
  }

  /**
   * The stages exported: with {@code everyStage} every stage of the plan (the stages the build
   * needed), else the target stage and the stages it is built {@code FROM}, base first.
   */
  static List<PlannedStage> stages(BuildPlan plan, boolean everyStage) {
    Map<Integer, PlannedStage> byIndex = new LinkedHashMap<>();
    plan.stages().forEach(s -> byIndex.put(s.index(), s));
    List<PlannedStage> stages = new ArrayList<>();
    if (everyStage) {
      stages.addAll(plan.stages());
    } else {
      for (PlannedStage s = plan.target(); s != null; ) {
        stages.add(0, s);
        s = s.base() instanceof StageRef.OfStage o ? byIndex.get(o.index()) : null;
      }
    }
    return stages;
  }
}
