package dev.gantry.oci;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An OCI image config with Docker's extensions: platform, the container {@link ContainerConfig},
 * the layer diffIDs ({@code rootfs}) and the build history.
 *
 * <p>This class is immutable. {@code created} may be null; strings are empty when unset.
 * {@code extra} holds top-level fields Gantry does not model, as raw JSON text, so a config read
 * from elsewhere keeps them when written back.
 */
public record ImageConfig(Instant created, String author, String architecture, String os,
    String osVersion, List<String> osFeatures, String variant, ContainerConfig config,
    RootFs rootfs, List<History> history, Map<String, String> extra) {

  public ImageConfig {
    author = ContainerConfig.nz(author);
    architecture = ContainerConfig.nz(architecture);
    os = ContainerConfig.nz(os);
    osVersion = ContainerConfig.nz(osVersion);
    osFeatures = ContainerConfig.listOrEmpty(osFeatures);
    variant = ContainerConfig.nz(variant);
    config = config == null ? ContainerConfig.EMPTY : config;
    rootfs = rootfs == null ? RootFs.EMPTY : rootfs;
    history = history == null ? List.of() : List.copyOf(history);
    extra = Descriptor.sortedCopy(extra);
  }

  /** The root filesystem: its type ({@code layers}) and the diffIDs of the layers, base first. */
  public record RootFs(String type, List<Digest> diffIds) {
    /** A {@code layers} root filesystem with no layers. */
    public static final RootFs EMPTY = new RootFs("layers", List.of());

    public RootFs {
      type = ContainerConfig.nz(type);
      diffIds = List.copyOf(diffIds);
    }
  }

  /** One history entry: when and how a step was made, and whether it added a layer. */
  public record History(Instant created, String createdBy, String author, String comment,
      boolean emptyLayer) {
    public History {
      createdBy = ContainerConfig.nz(createdBy);
      author = ContainerConfig.nz(author);
      comment = ContainerConfig.nz(comment);
    }
  }

  /** An empty config for {@code platform}, like a {@code FROM scratch} image. */
  public static ImageConfig empty(Platform platform) {
    return new ImageConfig(null, "", platform.architecture(), platform.os(), platform.osVersion(),
        platform.osFeatures(), platform.variant(), ContainerConfig.EMPTY, RootFs.EMPTY, List.of(),
        Map.of());
  }

  /** The platform this config describes. */
  public Platform platform() {
    return new Platform(os, architecture, variant, osVersion, osFeatures);
  }

  /** A copy with this creation time (null for none). */
  public ImageConfig withCreated(Instant v) {
    return new ImageConfig(v, author, architecture, os, osVersion, osFeatures, variant, config,
        rootfs, history, extra);
  }

  /** A copy with this author. */
  public ImageConfig withAuthor(String v) {
    return new ImageConfig(created, v, architecture, os, osVersion, osFeatures, variant, config,
        rootfs, history, extra);
  }

  /** A copy for this platform. */
  public ImageConfig withPlatform(Platform p) {
    return new ImageConfig(created, author, p.architecture(), p.os(), p.osVersion(), p.osFeatures(),
        p.variant(), config, rootfs, history, extra);
  }

  /** A copy with this container config. */
  public ImageConfig withConfig(ContainerConfig v) {
    return new ImageConfig(created, author, architecture, os, osVersion, osFeatures, variant, v,
        rootfs, history, extra);
  }

  /** A copy with this root filesystem. */
  public ImageConfig withRootfs(RootFs v) {
    return new ImageConfig(created, author, architecture, os, osVersion, osFeatures, variant, config,
        v, history, extra);
  }

  /** A copy with this history. */
  public ImageConfig withHistory(List<History> v) {
    return new ImageConfig(created, author, architecture, os, osVersion, osFeatures, variant, config,
        rootfs, v, extra);
  }

  /** A copy with one more layer: its diffID appended to the rootfs and {@code step} to history. */
  public ImageConfig withLayer(Digest diffId, History step) {
    List<Digest> ids = new ArrayList<>(rootfs.diffIds());
    ids.add(Objects.requireNonNull(diffId, "diffId"));
    return withRootfs(new RootFs(rootfs.type().isEmpty() ? "layers" : rootfs.type(), ids))
        .withHistoryEntry(step);
  }

  /** A copy with {@code step} appended to the history. */
  public ImageConfig withHistoryEntry(History step) {
    List<History> h = new ArrayList<>(history);
    h.add(Objects.requireNonNull(step, "step"));
    return withHistory(h);
  }

  /** The deterministic JSON bytes of this config. */
  public byte[] toJson() {
    return Json.write(this);
  }
}
