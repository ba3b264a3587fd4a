package dev.gantry.model;

import dev.gantry.oci.Digest;
import java.time.Duration;
import java.util.List;

/**
 * What a push did.
 *
 * @param manifestDigest the digest the registries stored the image manifest under
 * @param destinations the references pushed to
 * @param uploaded blobs uploaded
 * @param mounted blobs mounted from another repository of the same registry
 * @param skipped blobs the registry already had
 * @param elapsed the push's wall time
 */
public record PushResult(Digest manifestDigest, List<String> destinations, int uploaded, int mounted, int skipped,
    Duration elapsed) {
  public PushResult {
    destinations = List.copyOf(destinations);
  }
}
