package dev.gantry.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where a built image goes besides the local store. Mirrors {@code docker buildx build --output}.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public sealed interface Output {

  /** An OCI image layout directory ({@code type=oci,dest=DIR}); tags become ref-name annotations. */
  record OciLayout(Path directory) implements Output {
    public OciLayout {
      Objects.requireNonNull(directory, "directory");
    }
  }

  /** An OCI image layout packed as a tar file ({@code type=oci,dest=FILE,tar=true}). */
  record OciArchive(Path file) implements Output {
    public OciArchive {
      Objects.requireNonNull(file, "file");
    }
  }

  /** A docker-archive tar that {@code docker load} and {@code podman load} accept ({@code type=docker,dest=FILE}). */
  record DockerArchive(Path file) implements Output {
    public DockerArchive {
      Objects.requireNonNull(file, "file");
    }
  }

  /**
   * Registry references the image is pushed to ({@code type=registry[,name=REF]}); without names,
   * the build's tags (what {@code --push} does). Blobs the registry has are skipped, a base image's
   * layers mounted from its repository.
   */
  record Registry(List<String> names) implements Output {
    public Registry {
      names = List.copyOf(names);
    }
  }

  /**
   * Parses a {@code --output} value: {@code type=oci,dest=PATH[,tar=true|false]},
   * {@code type=docker,dest=FILE} or {@code type=registry[,name=REF]}; a bare path means an OCI
   * layout directory.
   *
   * @throws IllegalArgumentException when the value is not one of those forms
   */
  static Output parse(String spec) {
    if (!spec.contains("=")) {
      return new OciLayout(Path.of(spec));
    }
    String type = null;
    String dest = null;
    String name = null;
    boolean tar = false;
    for (String part : spec.split(",")) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("invalid output field '" + part + "' (expected key=value)");
      }
      String k = part.substring(0, eq).trim();
      String v = part.substring(eq + 1).trim();
      switch (k) {
        case "type" -> type = v;
        case "dest" -> dest = v;
        case "name" -> name = v;
        case "tar" -> tar = Boolean.parseBoolean(v);
        default -> throw new IllegalArgumentException("unknown output field '" + k + "'");
      }
    }
    if (type == null) {
      throw new IllegalArgumentException("output needs type= (oci, docker or registry)");
    }
    if (type.equals("registry")) {
      return new Registry(name == null || name.isEmpty() ? List.of() : List.of(name));
    }
    if (dest == null || dest.isEmpty()) {
      throw new IllegalArgumentException("output type=" + type + " needs dest=");
    }
    return switch (type) {
      case "oci" -> tar ? new OciArchive(Path.of(dest)) : new OciLayout(Path.of(dest));
      case "docker" -> new DockerArchive(Path.of(dest));
      default -> throw new IllegalArgumentException("unsupported output type '" + type + "' (oci, docker or registry)");
    };
  }
}
