package dev.gantry.builder;

import dev.gantry.model.BuildEvent;
import dev.gantry.model.BuildException;
import dev.gantry.model.BuildListener;
import dev.gantry.oci.Blobs;
import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.oci.Image;
import dev.gantry.registry.ImagePusher;
import dev.gantry.registry.ImageReference;
import dev.gantry.registry.Registries;
import dev.gantry.registry.RegistryException;
import dev.gantry.store.Store;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Pushes a built image to every tag of the build, mounting base layers from their source repositories. */
final class Pushes {
  private Pushes() {}

  /** The references {@code tags} name, or a failure naming the one that is not valid. */
  static List<ImageReference> references(List<String> tags) throws BuildException {
    List<ImageReference> refs = new ArrayList<>();
    for (String t : tags) {
      try {
        refs.add(ImageReference.parse(t));
      } catch (IllegalArgumentException e) {
        throw new BuildException("cannot push to \"" + t + "\": " + e.getMessage(), "tag the image as"
            + " REGISTRY/REPOSITORY:TAG", e);
      }
    }
    if (refs.isEmpty()) {
      throw new BuildException("nothing to push to: the build has no tags", "add -t REGISTRY/REPOSITORY:TAG", null);
    }
    return refs;
  }

  /** Pushes {@code image} (its blobs are in {@code store}) to {@code targets}; returns the manifest digest. */
  static Digest push(Image image, List<Descriptor> layers, List<ImageReference> targets, Registries registries,
      Store store, RegistryBases bases, BuildListener listener) throws BuildException {
    ImagePusher pusher = new ImagePusher(registries, store, 4);
    if (bases != null) {
      for (Descriptor d : layers) {
        ImageReference source = bases.source(d.digest());
        if (source != null) {
          pusher.knownIn(source, d.digest());
        }
      }
    }
    byte[] manifest;
    try {
      manifest = Blobs.readAll(image.manifest());
    } catch (IOException e) {
      throw new BuildException("push failed: " + e.getMessage(), null, e);
    }
    return run(pusher, manifest, image.manifest().descriptor().mediaType(), image.config().descriptor(), layers,
        targets, listener).digest();
  }

  /** Runs {@code pusher} and reports what it did; registry errors become build failures with a hint. */
  static ImagePusher.Report run(ImagePusher pusher, byte[] manifest, String mediaType, Descriptor config,
      List<Descriptor> layers, List<ImageReference> targets, BuildListener listener) throws BuildException {
    try {
      ImagePusher.Report r = pusher.push(manifest, mediaType, config, layers, targets);
      for (ImageReference t : targets) {
        listener.onEvent(new BuildEvent.Message("pushed " + t + "@" + r.digest()));
      }
      listener.onEvent(new BuildEvent.Message("blobs: " + r.uploaded() + " uploaded, " + r.mounted() + " mounted, "
          + r.skipped() + " already present"));
      return r;
    } catch (RegistryException e) {
      throw new BuildException("push failed: " + e.getMessage(), e.hint(), e);
    } catch (IOException e) {
      throw new BuildException("push failed: " + e.getMessage(), null, e);
    }
  }
}
