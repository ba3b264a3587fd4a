package dev.gantry.builder;

import dev.gantry.model.BuildEvent;
import dev.gantry.model.BuildException;
import dev.gantry.model.BuildListener;
import dev.gantry.oci.Image;
import dev.gantry.oci.ImageSink;
import dev.gantry.registry.ImagePusher;
import dev.gantry.registry.ImageReference;
import dev.gantry.registry.Registries;
import dev.gantry.registry.RegistryException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Pushes images to registries: a {@link dev.gantry.registry.MountableBlob} (a layer of a pulled
 * base, of an imported cache) is mounted from its repository where the registry is the same.
 */
final class Pushes {
  /** How many blobs a push uploads at once. */
  private static final int UPLOADS = 4;

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

  /** The sink that pushes an image to {@code targets}. */
  static ImageSink sink(List<ImageReference> targets, Registries registries, BuildListener listener) {
    return (image, tags) -> {
      run(registries, image, targets, listener);
      return image.manifest().descriptor();
    };
  }

  /** Pushes {@code image} to {@code targets}, reporting each reference and the blob counts. */
  static ImagePusher.Report run(Registries registries, Image image, List<ImageReference> targets,
      BuildListener listener) throws IOException {
    ImagePusher.Report r = new ImagePusher(registries, UPLOADS).push(image, targets);
    for (ImageReference t : targets) {
      listener.onEvent(new BuildEvent.Message("pushed " + t + "@" + r.digest()));
    }
    listener.onEvent(new BuildEvent.Message("blobs: " + r.uploaded() + " uploaded, " + r.mounted() + " mounted, "
        + r.skipped() + " already present"));
    return r;
  }

  /** A failed push as a build failure, with the registry's hint when it has one. */
  static BuildException failure(IOException e) {
    return new BuildException("push failed: " + e.getMessage(), e instanceof RegistryException r ? r.hint() : null, e);
  }
}
