package dev.gantry.ast;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One build stage: a FROM and the instructions up to the next FROM.
 *
 * <p>This class is immutable and thread-safe.
 *
 * @param index the 0-based position among the stages ({@code COPY --from=0})
 * @param from the stage's FROM
 * @param instructions the instructions after the FROM, in source order
 */
public record Stage(int index, From from, List<Instruction> instructions) {
  public Stage {
    Objects.requireNonNull(from, "from");
    instructions = List.copyOf(instructions);
  }

  /** The stage name ({@code FROM image AS name}), lower-cased, when it has one. */
  public Optional<String> name() {
    return from.name();
  }

  /** The FROM's range; the stage's position in the Dockerfile. */
  public SourceRange range() {
    return from.range();
  }
}
