package dev.gantry.cli;

import dev.gantry.api.BuildException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options {@code build} and {@code push} share (a picocli mixin), and how both report results and errors. */
final class CommonOptions {
  @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]", description = "Reach this registry over plain HTTP (repeatable; loopback registries always are).")
  List<String> insecureRegistries = new ArrayList<>();

  @Option(names = "--cache-dir", paramLabel = "DIR", description = "Local store directory (default: $GANTRY_HOME or ~/.cache/gantry).")
  Path cacheDir;

  @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto", description = "auto, plain, tty or quiet (default: ${DEFAULT-VALUE}).")
  String progress;

  @Option(names = {"-q", "--quiet"}, description = "Print only the image digest.")
  boolean quiet;

  @Option(names = "--iidfile", paramLabel = "FILE", description = "Write the image digest to FILE.")
  Path iidFile;

  @Option(names = "--metadata-file", paramLabel = "FILE", description = "Write result metadata (JSON) to FILE.")
  Path metadataFile;

  @Option(names = "--debug", description = "Print stack traces of errors.")
  boolean debug;

  /** The progress renderer the options ask for, writing to {@code err}. */
  ProgressRenderer renderer(PrintStream err) {
    return ProgressRenderer.create(quiet ? "quiet" : progress, err);
  }

  /** Writes {@code --iidfile} and {@code --metadata-file} when asked for, and prints the digest with {@code -q}. */
  void report(String digest, String metadataJson, PrintStream out) throws IOException {
    if (iidFile != null) {
      Files.writeString(iidFile, digest, StandardCharsets.UTF_8);
    }
    if (metadataFile != null) {
      Files.writeString(metadataFile, metadataJson, StandardCharsets.UTF_8);
    }
    if (quiet) {
      out.println(digest);
    }
  }

  /** Prints a failure as {@code error: ...} with its hint (and its stack trace with {@code --debug}); returns 1. */
  int fail(BuildException e, PrintStream err) {
    err.println("error: " + e.getMessage());
    if (e.hint() != null) {
      err.println("  hint: " + e.hint());
    }
    if (debug) {
      e.printStackTrace(err);
    }
    return 1;
  }
}
