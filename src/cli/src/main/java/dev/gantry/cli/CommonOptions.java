package dev.gantry.cli;

import dev.gantry.model.BuildException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Options {@code build} and {@code push} share, and how both report results and errors. */
final class CommonOptions {
  /** The shared options, in help order. */
  static final List<Args.Option> OPTIONS = List.of(
      Args.Option.values("--insecure-registry", "HOST[:PORT]", "Reach this registry over plain HTTP (repeatable; loopback registries always are)."),
      Args.Option.value("--cache-dir", "DIR", "Local store directory (default: $GANTRY_HOME or ~/.cache/gantry)."),
      Args.Option.value("--progress", "MODE", "auto, plain, tty or quiet (default: auto)."),
      Args.Option.flag("-q,--quiet", "Print only the image digest."),
      Args.Option.value("--iidfile", "FILE", "Write the image digest to FILE."),
      Args.Option.value("--metadata-file", "FILE", "Write result metadata (JSON) to FILE."),
      Args.Option.flag("--debug", "Print stack traces of errors."));

  final List<String> insecureRegistries;
  final Path cacheDir;
  final String progress;
  final boolean quiet;
  final Path iidFile;
  final Path metadataFile;
  final boolean debug;

  CommonOptions(Args a) {
    insecureRegistries = a.values("--insecure-registry");
    cacheDir = path(a.value("--cache-dir", null));
    progress = a.value("--progress", "auto");
    quiet = a.flag("--quiet");
    iidFile = path(a.value("--iidfile", null));
    metadataFile = path(a.value("--metadata-file", null));
    debug = a.flag("--debug");
  }

  /** {@code s} as a path, or null. */
  static Path path(String s) {
    return s == null ? null : Path.of(s);
  }

  /** {@code options} followed by the shared ones. */
  static List<Args.Option> with(List<Args.Option> options) {
    List<Args.Option> all = new ArrayList<>(options);
    all.addAll(OPTIONS);
    return List.copyOf(all);
  }

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
