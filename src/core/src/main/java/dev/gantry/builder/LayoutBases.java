package dev.gantry.builder;

import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.oci.Index;
import dev.gantry.oci.Json;
import dev.gantry.oci.Manifest;
import dev.gantry.oci.MediaType;
import dev.gantry.oci.OciLayoutReader;
import dev.gantry.oci.Platform;
import dev.gantry.plan.BaseImage;
import dev.gantry.plan.BaseResolver;
import dev.gantry.plan.StageRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves FROM and {@code COPY --from} bases that are OCI image layouts given as named build
 * contexts ({@code --build-context NAME=oci-layout://DIR[:TAG]}), selecting the build platform from
 * an index. Image references and {@code docker-image://} contexts go to the registry resolver when
 * there is one, else they are refused with a hint.
 */
final class LayoutBases implements BaseResolver {
  /** An {@code oci-layout://} location. */
  record Location(Path dir, String tag) {}

  private final Map<String, Location> layouts;
  private final Map<Digest, Path> blobs = new ConcurrentHashMap<>();
  private final RegistryBases registry;

  LayoutBases(Map<String, Location> layouts) {
    this(layouts, null);
  }

  /** Layouts first, then {@code registry} (may be null) for image references and docker-image contexts. */
  LayoutBases(Map<String, Location> layouts, RegistryBases registry) {
    this.layouts = Map.copyOf(layouts);
    this.registry = registry;
  }

  /** The registry resolver, or null. */
  RegistryBases registry() {
    return registry;
  }

  /** Parses {@code oci-layout://DIR[:TAG]} (null when {@code value} is not of that form). */
  static Location parse(String value) {
    String prefix = "oci-layout://";
    if (!value.startsWith(prefix)) {
      return null;
    }
    String rest = value.substring(prefix.length());
    int colon = rest.lastIndexOf(':');
    int slash = rest.lastIndexOf('/');
    if (colon > slash && colon > 0) {
      return new Location(Path.of(rest.substring(0, colon)), rest.substring(colon + 1));
    }
    return new Location(Path.of(rest), null);
  }

  @Override
  public BaseImage resolve(StageRef ref, Platform platform) throws IOException {
    if (ref instanceof StageRef.OfContext c && layouts.containsKey(c.name())) {
      Location loc = layouts.get(c.name());
      if (!Files.isRegularFile(loc.dir().resolve("index.json"))) {
        throw new UnresolvableBaseException("build context \"" + c.name() + "\": " + loc.dir()
            + " is not an OCI image layout (no index.json)", "point oci-layout:// at a directory written by"
            + " 'gantry build -o type=oci,dest=DIR CONTEXT' or 'skopeo copy docker://IMAGE oci:DIR'");
      }
      OciLayoutReader reader = OciLayoutReader.open(loc.dir());
      Descriptor d = reader.resolve(loc.tag());
      if (MediaType.isIndex(d.mediaType())) {
        d = select(Json.readIndex(reader.readBlob(d)), platform, c.name());
      }
      Manifest m = reader.readManifest(d);
      remember(reader, m);
      return new BaseImage(c.name(), d.digest(), reader.readConfig(m), m.layers());
    }
    if (registry != null && registry.handles(ref)) {
      return registry.resolve(ref, platform);
    }
    String name = ref instanceof StageRef.OfImage i ? i.reference() : ref.toString();
    throw new UnresolvableBaseException("cannot pull \"" + name + "\": pulling images from registries is not"
        + " supported yet", localImageHint(name) + " (for example from 'skopeo copy docker://" + name + " oci:DIR')");
  }

  /**
   * How to give the base {@code name} of a FROM as a local OCI layout instead: a build context named
   * exactly as the FROM names the image (the name is matched whole, registry port and tag included).
   */
  static String localImageHint(String name) {
    return "to use a local image instead: --build-context " + name + "=oci-layout://DIR";
  }

  private void remember(OciLayoutReader reader, Manifest m) {
    blobs.put(m.config().digest(), reader.blobPath(m.config().digest()));
    for (Descriptor l : m.layers()) {
      blobs.put(l.digest(), reader.blobPath(l.digest()));
    }
  }

  /** Where a blob of a resolved base can be read, or null. */
  Path blobPath(Digest digest) {
    return blobs.get(digest);
  }

  private static Descriptor select(Index index, Platform platform, String name) throws IOException {
    return index.forPlatform(platform).orElseThrow(() ->
        new UnresolvableBaseException("build context \"" + name + "\" has no image for " + platform, null));
  }
}
