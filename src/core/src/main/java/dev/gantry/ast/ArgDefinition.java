package dev.gantry.ast;

import java.util.Objects;
import java.util.Optional;

/**
 * One {@code name[=default]} of an ARG instruction, unexpanded.
 *
 * <p>This class is immutable and thread-safe.
 *
 * @param key the argument name as written
 * @param defaultValue the default after {@code =}, or null when none was given
 * @param docComment the description from a {@code # <name> <description>} comment right above
 *     the instruction, or an empty string
 */
public record ArgDefinition(String key, String defaultValue, String docComment) {
  public ArgDefinition {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(docComment, "docComment");
  }

  /** The default value, when one was given ({@code ARG a=} has the empty default). */
  public Optional<String> defaultOptional() {
    return Optional.ofNullable(defaultValue);
  }
}
