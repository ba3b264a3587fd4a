package dev.gantry.ast;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A RUN instruction: a command run in a container of the stage's file system, with its
 * {@code --mount}, {@code --network}, {@code --security} and {@code --device} options.
 *
 * <p>This class is immutable and thread-safe.
 *
 * @param node the syntax node
 * @param command the command (shell, exec or heredoc form), unexpanded
 * @param mounts the parsed {@code --mount} values, in order
 * @param network the {@code --network} mode
 * @param security the {@code --security} mode
 * @param devices the {@code --device} requests, in order
 * @param flagsUsed the names of the flags given, sorted
 */
public record Run(SyntaxNode node, Command command, List<Mount> mounts, NetworkMode network,
    SecurityMode security, List<Device> devices, List<String> flagsUsed) implements Instruction {
  public Run {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(command, "command");
    mounts = List.copyOf(mounts);
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(security, "security");
    devices = List.copyOf(devices);
    flagsUsed = List.copyOf(flagsUsed);
  }

  /** The mount option values (BuildKit expands them; the command itself is left to the shell). */
  @Override
  public List<String> expandable() {
    List<String> words = new ArrayList<>();
    for (Mount m : mounts) {
      words.addAll(m.options().values());
    }
    return List.copyOf(words);
  }
}
