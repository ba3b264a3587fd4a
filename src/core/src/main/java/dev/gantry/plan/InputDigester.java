package dev.gantry.plan;

import java.io.IOException;
import java.util.List;

/**
 * Describes the content a COPY or ADD reads from the build context, a named directory context or
 * a URL, as a JSON-able value for its cache key: for each file its path, type, mode, link target and
 * content sha256 (never mtimes or host ids). Implemented where the files are, so the planner reads
 * exactly the inputs each step uses and nothing else.
 */
public interface InputDigester {

  /**
   * The inputs of {@code spec} (whose {@code from} is null, a named directory context, or whose
   * sources are URLs). Sources from stages and images are keyed by the planner itself.
   *
   * @throws MissingSourceException when a non-wildcard source does not exist
   */
  Object describe(CopySpec spec) throws IOException;

  /**
   * Starts describing {@code specs} in the background while the planner does other work (resolving
   * a base image, reading a cache), so that {@link #describe} finds their files already digested. A
   * hint: what fails here is left for {@link #describe} to report. The default does nothing.
   */
  default void prefetch(List<CopySpec> specs) {}

  /** A COPY/ADD source that does not exist; the planner adds the Dockerfile position. */
  final class MissingSourceException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String hint;

    public MissingSourceException(String message, String hint) {
      super(message);
      this.hint = hint;
    }

    /** Why it may be missing (for instance excluded by .dockerignore), or null. */
    public String hint() {
      return hint;
    }
  }

  /** A COPY/ADD source that exists but cannot be used (a failed download, a checksum mismatch). */
  final class UnusableSourceException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String hint;

    public UnusableSourceException(String message, String hint) {
      super(message);
      this.hint = hint;
    }

    /** How to fix it, or null. */
    public String hint() {
      return hint;
    }
  }
}
