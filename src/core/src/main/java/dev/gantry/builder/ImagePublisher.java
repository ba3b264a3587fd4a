package dev.gantry.builder;

import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.oci.Json;
import dev.gantry.oci.Manifest;
import dev.gantry.oci.MediaType;
import dev.gantry.oci.OciLayoutReader;
import dev.gantry.registry.ImagePusher;
import dev.gantry.registry.ImageReference;
import dev.gantry.registry.Registries;
import dev.gantry.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Pushes an image that is already built, without building anything: an image of the local store
 * (by the tag a build gave it) or of an OCI image layout, to one or more registry references. Blobs
 * are read where they are; nothing is copied into the store first.
 */
public final class ImagePublisher {
  private ImagePublisher() {}

  /**
   * What to push.
   *
   * @param source a tag in the local store, or {@code oci-layout://DIR[:TAG]}
   * @param destinations registry references; when empty, the source tag itself
   * @param store the local store directory
   * @param registry insecure registries and explicit credentials ({@code pull}/{@code push} unused)
   */
  public record PushSpec(String source, List<String> destinations, Path store, BuildSpec.RegistrySpec registry) {
    public PushSpec {
      Objects.requireNonNull(source, "source");
      destinations = List.copyOf(destinations);
      Objects.requireNonNull(store, "store");
      Objects.requireNonNull(registry, "registry");
    }
  }

  /**
   * What a push did.
   *
   * @param manifestDigest the digest the registries stored the manifest under
   * @param destinations the references pushed to
   * @param uploaded blobs uploaded
   * @param mounted blobs mounted from another repository
   * @param skipped blobs already present
   */
  public record Pushed(Digest manifestDigest, List<String> destinations, int uploaded, int mounted, int skipped) {
    public Pushed {
      destinations = List.copyOf(destinations);
    }
  }

  /**
   * An image's manifest and where its blobs are; {@code remote}, for an image of the store, knows
   * where the blobs the store does not hold (layers of a base or an imported cache) can be fetched.
   */
  private record Source(byte[] manifest, String mediaType, Manifest parsed, ImagePusher.BlobFiles files,
      RemoteBlobs remote) {}

  /** Pushes {@code spec.source()} to its destinations. */
  public static Pushed push(PushSpec spec, BuildObserver observer) throws BuildFailure {
    LayoutBases.Location layout = LayoutBases.parse(spec.source());
    List<String> destinations = spec.destinations();
    if (destinations.isEmpty()) {
      if (layout != null) {
        throw new BuildFailure("no destination to push " + spec.source() + " to",
            "name one: gantry push " + spec.source() + " REGISTRY/REPOSITORY:TAG", null);
      }
      destinations = List.of(spec.source());
    }
    List<ImageReference> targets = Pushes.references(destinations);
    Registries registries = spec.registry().registries();
    Source source;
    ImagePusher pusher;
    try {
      source = layout != null ? fromLayout(layout) : fromStore(spec.store(), spec.source(), destinations, registries);
      pusher = new ImagePusher(registries, source.files(), 4);
      List<Descriptor> blobs = new ArrayList<>(source.parsed().layers());
      blobs.add(source.parsed().config());
      for (Descriptor d : blobs) {
        ImageReference remote = source.remote() == null ? null : source.remote().notedRepository(d.digest());
        if (remote != null) {
          pusher.knownIn(remote, d.digest());
        } else if (!Files.isRegularFile(source.files().path(d.digest()))) {
          throw new BuildFailure("blob " + d.digest() + " of " + spec.source() + " is missing",
              layout != null ? "the OCI layout is incomplete; write it again" : "build the image again", null);
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new BuildFailure("cannot read " + spec.source() + ": " + e.getMessage(), null, e);
    }
    registries.prepare();
    ImagePusher.Report r = Pushes.run(pusher, source.manifest(), source.mediaType(), source.parsed().config(),
        source.parsed().layers(), targets, observer);
    return new Pushed(r.digest(), destinations, r.uploaded(), r.mounted(), r.skipped());
  }

  private static Source fromStore(Path root, String tag, List<String> destinations, Registries registries)
      throws IOException, BuildFailure {
    Store store = Store.open(root);
    Optional<Digest> digest = store.resolve(tag);
    if (digest.isEmpty()) {
      throw new BuildFailure("no image tagged \"" + tag + "\" in the local store " + root,
          "build it first (gantry build -t " + tag + storeOption(root) + " CONTEXT), or push an OCI layout: gantry push"
              + " oci-layout://DIR " + String.join(" ", destinations), null);
    }
    byte[] bytes = store.readBlob(digest.get());
    Manifest m = Json.readManifest(bytes);
    RemoteBlobs remote = new RemoteBlobs(store, registries);
    Map<Digest, Descriptor> layers = new HashMap<>();
    m.layers().forEach(d -> layers.put(d.digest(), d));
    ImagePusher.BlobFiles files = d -> {
      if (layers.containsKey(d) && !store.hasBlob(d)) {
        remote.fetchNoted(layers.get(d));
      }
      return store.blobPath(d);
    };
    return new Source(bytes, m.mediaType() == null ? MediaType.OCI_MANIFEST : m.mediaType(), m, files, remote);
  }

  /** The {@code --cache-dir} a command needs to use the store at {@code root} ("" for the default store). */
  private static String storeOption(Path root) {
    Path abs = root.toAbsolutePath().normalize();
    return abs.equals(Store.defaultRoot().toAbsolutePath().normalize()) ? "" : " --cache-dir " + abs;
  }

  private static Source fromLayout(LayoutBases.Location loc) throws IOException, BuildFailure {
    OciLayoutReader reader = OciLayoutReader.open(loc.dir());
    Descriptor d = reader.resolve(loc.tag());
    if (d.mediaType().equals(MediaType.OCI_INDEX) || d.mediaType().equals(MediaType.DOCKER_MANIFEST_LIST)) {
      throw new BuildFailure("the OCI layout " + loc.dir() + " names an image index, not an image",
          "push a single-platform image", null);
    }
    byte[] bytes = reader.readBlob(d);
    return new Source(bytes, d.mediaType(), Json.readManifest(bytes), reader::blobPath, null);
  }
}
