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
import java.util.ArrayList;
import java.util.List;
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
    Registries registries = BuildSpec.RegistrySpec.of(false, request.insecureRegistries(), request.registryCredentials())
        .registries();
    Image image;
    try {
      image = layout != null ? fromLayout(layout) : fromStore(store, request.image(), destinations, registries);
    } catch (NoSuchFileException e) {
      throw new BuildException("cannot read " + request.image() + ": "
          + (e.getReason() != null ? e.getReason() : e.getFile() + " is missing"),
          layout != null ? "the OCI layout is incomplete; write it again" : "build the image again", e);
    } catch (IOException | RuntimeException e) {
      throw new BuildException("cannot read " + request.image() + ": " + e.getMessage(), null, e);
    }
    registries.prepare();
    ImagePusher.Report r;
    try {
      r = Pushes.run(registries, image, targets, request.listener());
    } catch (IOException e) {
      throw Pushes.failure(e);
    }
    return new PushResult(r.digest(), destinations, r.uploaded(), r.mounted(), r.skipped(),
        Duration.ofNanos(System.nanoTime() - t0));
  }

  /**
   * The image tagged {@code tag} in the store at {@code root}. A layer the store does not hold (of a
   * base or an imported cache a build did not need the bytes of) is fetched when an upload reads
   * it, from where the store noted it is; a layer noted in a registry repository (also a pulled
   * base's) is mounted from there by a push to the same registry.
   */
  private static Image fromStore(Path root, String tag, List<String> destinations, Registries registries)
      throws IOException, BuildException {
    Store store = Store.open(root);
    Optional<Digest> digest = store.resolve(tag);
    if (digest.isEmpty()) {
      throw new BuildException("no image tagged \"" + tag + "\" in the local store " + root,
          "build it first (gantry build -t " + tag + storeOption(root) + " CONTEXT), or push an OCI layout: gantry push"
              + " oci-layout://DIR " + String.join(" ", destinations), null);
    }
    Image stored = StoreImages.read(store, digest.get());
    RemoteBlobs remote = new RemoteBlobs(store, registries);
    stored.config().open().close();
    List<Blob> layers = new ArrayList<>();
    for (Blob b : stored.layers()) {
      layers.add(remote.noted(b));
    }
    return new Image(stored.manifest(), stored.config(), layers);
  }

  /** The {@code --cache-dir} a command needs to use the store at {@code root} ("" for the default store). */
  private static String storeOption(Path root) {
    Path abs = root.toAbsolutePath().normalize();
    return abs.equals(Store.defaultRoot().toAbsolutePath().normalize()) ? "" : " --cache-dir " + abs;
  }

  private static Image fromLayout(LayoutBases.Location loc) throws IOException, BuildException {
    OciLayoutReader reader = OciLayoutReader.open(loc.dir());
    Descriptor d = reader.resolve(loc.tag());
    if (MediaType.isIndex(d.mediaType())) {
      throw new BuildException("the OCI layout " + loc.dir() + " names an image index, not an image",
          "push a single-platform image", null);
    }
    Image image = reader.image(loc.tag());
    for (Blob b : image.blobs()) {
      b.open().close();
    }
    return image;
  }
}
