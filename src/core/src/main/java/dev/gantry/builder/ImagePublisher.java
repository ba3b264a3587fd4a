package dev.gantry.builder;

import dev.gantry.model.BuildException;
import dev.gantry.model.PushRequest;
import dev.gantry.model.PushResult;
import dev.gantry.oci.Blob;
import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.oci.Image;
import dev.gantry.oci.MediaType;
import dev.gantry.oci.OciLayoutReader;
import dev.gantry.registry.ImagePusher;
import dev.gantry.registry.ImageReference;
import dev.gantry.registry.Registries;
import dev.gantry.store.Store;
import dev.gantry.store.StoreImages;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pushes an image that is already built, without building anything: an image of the local store
 * (by the tag a build gave it) or of an OCI image layout, to one or more registry references. Blobs
 * are read where they are; nothing is copied into the store first.
 */
public final class ImagePublisher {
  private ImagePublisher() {}

  /** Pushes {@code request.image()} to its destinations; progress goes to the request's listener. */
  public static PushResult push(PushRequest request) throws BuildException {
    long t0 = System.nanoTime();
    LayoutBases.Location layout = LayoutBases.parse(request.image());
    List<String> destinations = request.destinations();
    Path store = request.storeDirectory().orElseGet(Store::defaultRoot);
    if (destinations.isEmpty()) {
      if (layout != null) {
        throw new BuildException("no destination to push " + request.image() + " to",
            "name one: gantry push " + request.image() + " REGISTRY/REPOSITORY:TAG", null);
      }
      destinations = List.of(request.image());
    }
    List<ImageReference> targets = Pushes.references(destinations);
    Image image;
    try {
      image = layout != null ? fromLayout(layout) : fromStore(store, request.image(), destinations);
      for (Blob b : image.blobs()) {
        b.open().close();
      }
    } catch (NoSuchFileException e) {
      throw new BuildException("cannot read " + request.image() + ": "
          + (e.getReason() != null ? e.getReason() : e.getFile() + " is missing"),
          layout != null ? "the OCI layout is incomplete; write it again" : "build the image again", e);
    } catch (IOException | RuntimeException e) {
      throw new BuildException("cannot read " + request.image() + ": " + e.getMessage(), null, e);
    }
    Registries registries = BuildSpec.RegistrySpec.of(false, request.insecureRegistries(), request.registryCredentials())
        .registries();
    registries.prepare();
    ImagePusher.Report r;
    try {
      r = Pushes.run(new ImagePusher(registries, 4), image, targets, request.listener());
    } catch (IOException e) {
      throw Pushes.failure(e);
    }
    return new PushResult(r.digest(), destinations, r.uploaded(), r.mounted(), r.skipped(),
        Duration.ofNanos(System.nanoTime() - t0));
  }

  private static Image fromStore(Path root, String tag, List<String> destinations) throws IOException, BuildException {
    Store store = Store.open(root);
    Optional<Digest> digest = store.resolve(tag);
    if (digest.isEmpty()) {
      throw new BuildException("no image tagged \"" + tag + "\" in the local store " + root,
          "build it first (gantry build -t " + tag + storeOption(root) + " CONTEXT), or push an OCI layout: gantry push"
              + " oci-layout://DIR " + String.join(" ", destinations), null);
    }
    // base layers are mounted from the repository they were pulled from
    Map<Digest, ImageReference> pulled = ImagePuller.pulledLayers(store);
    return Pushes.mountable(StoreImages.read(store, digest.get()), pulled::get);
  }

  /** The {@code --cache-dir} a command needs to use the store at {@code root} ("" for the default store). */
  private static String storeOption(Path root) {
    Path abs = root.toAbsolutePath().normalize();
    return abs.equals(Store.defaultRoot().toAbsolutePath().normalize()) ? "" : " --cache-dir " + abs;
  }

  private static Image fromLayout(LayoutBases.Location loc) throws IOException, BuildException {
    OciLayoutReader reader = OciLayoutReader.open(loc.dir());
    Descriptor d = reader.resolve(loc.tag());
    if (d.mediaType().equals(MediaType.OCI_INDEX) || d.mediaType().equals(MediaType.DOCKER_MANIFEST_LIST)) {
      throw new BuildException("the OCI layout " + loc.dir() + " names an image index, not an image",
          "push a single-platform image", null);
    }
    return reader.image(loc.tag());
  }
}
