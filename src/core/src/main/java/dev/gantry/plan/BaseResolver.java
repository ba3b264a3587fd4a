package dev.gantry.plan;

import dev.gantry.oci.Platform;
import java.io.IOException;

/**
 * Resolves what a FROM or {@code COPY --from} names (an image reference or a named build context
 * holding an image) to a pinned {@link BaseImage}. Implemented outside the planner (OCI layouts,
 * registries), so planning itself never does I/O on images.
 */
public interface BaseResolver {

  /**
   * Resolves {@code ref}.
   *
   * @throws UnresolvableBaseException when there is no such image, with a message for the user
   * @throws IOException when reading it failed
   */
  BaseImage resolve(StageRef ref, Platform platform) throws IOException;

  /** Thrown when a base cannot be found; the planner adds the Dockerfile position. */
  final class UnresolvableBaseException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String hint;

    public UnresolvableBaseException(String message, String hint) {
      super(message);
      this.hint = hint;
    }

    /** How to fix it, or null. */
    public String hint() {
      return hint;
    }
  }
}
