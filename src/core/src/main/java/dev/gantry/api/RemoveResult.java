package dev.gantry.api;

import java.util.List;

/**
 * What {@link Gantry#removeImages} did: the tags it removed and the references that named no tag.
 * The images' data stays in the store until a prune.
 */
public record RemoveResult(List<String> untagged, List<String> missing) {
  public RemoveResult {
    untagged = List.copyOf(untagged);
    missing = List.copyOf(missing);
  }
}
