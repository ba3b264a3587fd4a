package dev.gantry.builder;

import dev.gantry.oci.Blobs;
import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.oci.Image;
import dev.gantry.registry.ImagePusher;
import dev.gantry.registry.ImageReference;
import dev.gantry.registry.RegistryException;
import dev.gantry.registry.Registries;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Pushes a built image to every tag of the build, mounting base layers from their source repositories. */
final class Pushes {
  private Pushes() {}

  /** The references {@code tags} name, or a failure naming the one that is not valid. */
  static List<ImageReference> references(List<String> tags) throws BuildFailure {
    List<ImageReference> refs = new ArrayList<>();
    for (String t : tags) {
      try {
        refs.add(ImageReference.parse(t));
      } catch (IllegalArgumentException e) {
        throw new BuildFailure("cannot push to \"" + t + "\": " + e.getMessage(), "tag the image as"
            + " REGISTRY/REPOSITORY:TAG", e);
      }
    }
    if (refs.isEmpty()) {
      throw new BuildFailure("nothing to push to: the build has no tags", "add -t REGISTRY/REPOSITORY:TAG", null);
    }
    return refs;
  }

  /**
   * Pushes {@code image} (its blobs in the store, or fetched there when an upload needs them) to
   * {@code targets}; returns the manifest digest.
   */
  static Digest push(Image image, List<Descriptor> layers, List<ImageReference> targets, Registries registries,
      BuildSession session) throws BuildFailure {
    byte[] manifest;
    try {
      manifest = Blobs.readAll(image.manifest());
    } catch (IOException e) {
      throw new BuildFailure("push failed: " + e.getMessage(), null, e);
    }
    return run(pusher(registries, session, layers), manifest, image.manifest().descriptor().mediaType(),
        image.config().descriptor(), layers, targets, session.observer).digest();
  }

  /**
   * A pusher of {@code blobs} that mounts each from the repository it is known in (a pulled base's,
   * an imported cache's) and fetches one into the store only when it has to be uploaded.
   */
  static ImagePusher pusher(Registries registries, BuildSession session, List<Descriptor> blobs) {
    Map<Digest, Descriptor> byDigest = new HashMap<>();
    blobs.forEach(d -> byDigest.put(d.digest(), d));
    ImagePusher pusher = new ImagePusher(registries, digest -> {
      Descriptor d = byDigest.get(digest);
      if (d != null) {
        session.importBlob(d);
      }
      return session.store.blobPath(digest);
    }, 4);
    RegistryBases bases = session.bases.registry();
    for (Descriptor d : blobs) {
      ImageReference source = bases == null ? null : bases.source(d.digest());
      if (source == null) {
        source = session.remote.repository(d.digest());
      }
      if (source != null) {
        pusher.knownIn(source, d.digest());
      }
    }
    return pusher;
  }

  /** Runs {@code pusher} and reports what it did; registry errors become build failures with a hint. */
  static ImagePusher.Report run(ImagePusher pusher, byte[] manifest, String mediaType, Descriptor config,
      List<Descriptor> layers, List<ImageReference> targets, BuildObserver observer) throws BuildFailure {
    try {
      ImagePusher.Report r = pusher.push(manifest, mediaType, config, layers, targets);
      for (ImageReference t : targets) {
        observer.message("pushed " + t + "@" + r.digest());
      }
      observer.message("blobs: " + r.uploaded() + " uploaded, " + r.mounted() + " mounted, " + r.skipped()
          + " already present");
      return r;
    } catch (RegistryException e) {
      throw new BuildFailure("push failed: " + e.getMessage(), e.hint(), e);
    } catch (IOException e) {
      throw new BuildFailure("push failed: " + e.getMessage(), null, e);
    }
  }
}
