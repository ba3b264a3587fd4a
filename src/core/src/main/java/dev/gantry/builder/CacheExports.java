package dev.gantry.builder;

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
import dev.gantry.registry.ImagePusher;
import dev.gantry.registry.ImageReference;
import dev.gantry.registry.Registries;
import dev.gantry.store.CacheRecord;
import dev.gantry.store.CachedLayer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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

  private CacheExports() {}

  /** Writes every export of {@code exports}; failures become warnings. */
  static void exportAll(List<CacheOptions.Export> exports, BuildPlan plan, BuildSession session,
      Registries registries) {
    for (CacheOptions.Export export : exports) {
      try {
        export(export, plan, session, registries);
      } catch (BuildFailure | IOException | RuntimeException e) {
        session.observer.message("warning: cache export to " + export.location() + " failed: " + e.getMessage()
            + " (the build itself succeeded)");
      }
    }
  }

  private static void export(CacheOptions.Export export, BuildPlan plan, BuildSession session,
      Registries registries) throws BuildFailure, IOException {
    List<CacheDocument.Entry> entries = new ArrayList<>();
    Map<Digest, Descriptor> blobs = new LinkedHashMap<>();
    Map<Digest, Descriptor> indexes = new LinkedHashMap<>();
    for (PlannedStep step : steps(plan, export.everyStage())) {
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
        Optional<byte[]> index = indexes.containsKey(l.diffId()) ? Optional.empty()
            : session.store.layerIndexBytes(l.diffId());
        if (index.isPresent()) {
          Descriptor d = Descriptor.of(CacheDocument.INDEX_TYPE, session.store.putBlob(index.get()).digest(),
              index.get().length);
          indexes.put(l.diffId(), d);
          blobs.putIfAbsent(d.digest(), d);
        }
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
    if (export.location() instanceof CacheOptions.Location.Registry g) {
      ImagePusher pusher = Pushes.pusher(registries, session, layers);
      for (CacheDocument.Entry e : entries) {
        ImageReference source = session.imports.repository(e.key());
        if (source != null) {
          pusher.knownIn(source, e.key());
        }
      }
      Pushes.run(pusher, manifest, MediaType.OCI_MANIFEST, config.descriptor(), layers, List.of(g.reference()),
          session.observer);
    } else {
      List<Blob> layerBlobs = layers.stream().map(session::blob).toList();
      Image artifact = new Image(Blobs.of(MediaType.OCI_MANIFEST, manifest), config, layerBlobs);
      OciLayoutWriter.at(((CacheOptions.Location.Directory) export.location()).directory())
          .write(artifact, List.of(TAG));
      session.observer.message("cache exported to " + export.location() + " (" + entries.size() + " steps)");
    }
  }

  /**
   * The steps exported: with {@code everyStage} those of every stage of the plan (the stages the
   * build needed), else those of the target stage and of the stages it is built {@code FROM}.
   */
  static List<PlannedStep> steps(BuildPlan plan, boolean everyStage) {
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
    List<PlannedStep> steps = new ArrayList<>();
    stages.forEach(s -> steps.addAll(s.steps()));
    return steps;
  }
}
