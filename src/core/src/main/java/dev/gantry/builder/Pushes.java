package dev.gantry.builder;

import dev.gantry.model.BuildEvent;
import dev.gantry.model.BuildException;
import dev.gantry.model.BuildListener;
import dev.gantry.oci.Blob;
import dev.gantry.oci.Digest;
import dev.gantry.oci.Image;
import dev.gantry.oci.ImageSink;
import dev.gantry.registry.ImagePusher;
import dev.gantry.registry.ImageReference;
import dev.gantry.registry.MountableBlob;
import dev.gantry.registry.Registries;
import dev.gantry.registry.RegistryException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Pushes images to registries, mounting base layers from their source repositories. */
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

  /**
   * The sink that pushes an image to {@code targets}; layers that came from a pulled base
   * ({@code bases}, may be null) are mounted from its repository where the registry is the same.
   */
  static ImageSink sink(List<ImageReference> targets, Registries registries, RegistryBases bases,
      BuildListener listener) {
    return (image, tags) -> {
      Image mountable = bases == null ? image : mountable(image, bases::source);
      run(new ImagePusher(registries, 4), mountable, targets, listener);
      return image.manifest().descriptor();
    };
  }

  /**
   * {@code image} with each layer that {@code sources} names a repository for (null for none) made a
   * {@link MountableBlob}: a push to that registry mounts it instead of uploading it.
   */
  static Image mountable(Image image, Function<Digest, ImageReference> sources) {
    List<Blob> layers = new ArrayList<>();
    for (Blob b : image.layers()) {
      ImageReference source = sources.apply(b.descriptor().digest());
      layers.add(source == null ? b : new MountableBlob(b, source));
    }
    return new Image(image.manifest(), image.config(), layers);
  }

  /** Pushes {@code image} with {@code pusher}, reporting each reference and the blob counts. */
  static ImagePusher.Report run(ImagePusher pusher, Image image, List<ImageReference> targets, BuildListener listener)
      throws IOException {
    ImagePusher.Report r = pusher.push(image, targets);
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
