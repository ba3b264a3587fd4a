package dev.gantry.ast;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when a Dockerfile cannot be read: carries every positioned error found in the file, not
 * just the first.
 */
public final class DockerfileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient List<Diagnostic> diagnostics;

  public DockerfileException(List<Diagnostic> diagnostics) {
    super(diagnostics.stream().map(Diagnostic::headline).collect(Collectors.joining("\n")));
    if (diagnostics.isEmpty()) {
      throw new IllegalArgumentException("a DockerfileException needs at least one diagnostic");
    }
    this.diagnostics = List.copyOf(diagnostics);
  }

  public DockerfileException(Diagnostic diagnostic) {
    this(List.of(diagnostic));
  }

  /** Every error, in source order. */
  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }

  /** The errors formatted one per line (with hints), as the CLI prints them. */
  public String format() {
    return diagnostics.stream().map(Diagnostic::format).collect(Collectors.joining(System.lineSeparator()));
  }
}
