package dev.gantry.ast;

import java.util.List;
import java.util.Objects;

/**
 * The command line of a RUN, CMD, ENTRYPOINT or HEALTHCHECK CMD: either the exec form (a JSON
 * array, run as is) or the shell form (one string, run through the stage's SHELL).
 *
 * <p>This class is immutable and thread-safe.
 *
 * @param args the exec-form elements, or a single element holding the shell-form line (the
 *     parser's arguments joined with one space); empty when nothing was given
 * @param prependShell true for the shell form: the stage's SHELL is put in front when run
 * @param files here-documents opened on the line (RUN only); bodies are NOT chomped here, the
 *     {@link Heredoc#chomp()} flag says whether leading tabs are to be removed when used
 */
public record Command(List<String> args, boolean prependShell, List<Heredoc> files) {
  public Command {
    args = List.copyOf(args);
    files = List.copyOf(files);
  }

  /** A command from parser arguments: JSON elements as they are, else joined with one space. */
  public static Command of(List<String> parserArgs, boolean json, List<Heredoc> files) {
    Objects.requireNonNull(parserArgs, "parserArgs");
    List<String> args = json || parserArgs.isEmpty() ? parserArgs : List.of(String.join(" ", parserArgs));
    return new Command(args, !json, files);
  }

  /** True when no command was given (for example {@code CMD []}). */
  public boolean isEmpty() {
    return args.isEmpty();
  }
}
