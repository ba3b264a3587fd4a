package dev.gantry.plan;

import java.util.List;
import java.util.Objects;

/**
 * A planned COPY or ADD, with every word expanded: what to copy from where, to which absolute
 * destination, with which owner and mode.
 *
 * @param add true for ADD (local archives are unpacked, URLs downloaded)
 * @param from where sources are read: null for the build context, else a stage, named context or image
 * @param sources the source paths (cleaned, relative to the source root; may hold wildcards) or URLs
 * @param heredocs inline sources ({@code COPY <<EOF /dest})
 * @param destination the absolute destination; ends with {@code /} when the Dockerfile said so
 * @param chown the {@code --chown} value after expansion, or null
 * @param chmod the {@code --chmod} value after expansion (octal or symbolic), or null
 * @param link {@code --link}
 * @param parents {@code --parents}
 * @param excludes {@code --exclude} patterns
 * @param checksum {@code ADD --checksum}, or null
 * @param unpack {@code ADD --unpack}, or null for the default (local archives unpacked, URLs not)
 */
public record CopySpec(boolean add, StageRef from, List<String> sources, List<Inline> heredocs, String destination,
    String chown, String chmod, boolean link, boolean parents, List<String> excludes, String checksum,
    Boolean unpack) {

  /** An inline (heredoc) source: a file named {@code path} holding {@code data}. */
  public record Inline(String path, String data) {
    public Inline {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(data, "data");
    }
  }

  public CopySpec {
    sources = List.copyOf(sources);
    heredocs = List.copyOf(heredocs);
    Objects.requireNonNull(destination, "destination");
    excludes = List.copyOf(excludes);
  }

  /** True when a source is an http(s) URL. */
  public static boolean isUrl(String source) {
    return source.startsWith("http://") || source.startsWith("https://");
  }
}
