package dev.gantry.cli;

import dev.gantry.ast.AstDump;
import dev.gantry.ast.Diagnostic;
import dev.gantry.ast.Dockerfile;
import dev.gantry.ast.DockerfileException;
import dev.gantry.ast.SyntaxTree;
import dev.gantry.parse.Dockerfiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code gantry parse}: reads a Dockerfile and prints its syntax tree or its errors. */
final class ParseCommand {
  static final Args.Spec SPEC = new Args.Spec("parse",
      List.of("Read a Dockerfile as BuildKit does and print it, or print every error with its position.",
          "",
          "Without --dump the file is also checked instruction by instruction (flags, arity, stage names,",
          "mount specs, ...) as a build would check it."),
      List.of(Args.Option.flag("--dump", "Print BuildKit's syntax dump; only syntax errors are reported.")),
      List.of(new Args.Parameter("FILE", "The Dockerfile to read ('-' for standard input).", 1, 1)),
      List.of(
          "gantry parse Dockerfile            check a Dockerfile, print a summary",
          "gantry parse --dump Dockerfile     print BuildKit's parser dump (one line per instruction)"),
      List.of("0   the file is valid", "1   the file has errors", "2   usage error"));

  private final Args args;

  ParseCommand(Args args) {
    this.args = args;
  }

  /** Reads and prints; returns the exit code. */
  int call() throws IOException {
    PrintStream out = System.out;
    PrintStream err = System.err;
    String file = args.parameter("FILE");
    boolean dump = args.flag("--dump");
    byte[] content = file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
    String name = file.equals("-") ? "Dockerfile" : file;
    try {
      SyntaxTree tree = Dockerfiles.syntax(name, content);
      // without --dump every instruction is checked as a build would check it
      Dockerfile df = dump ? null : Dockerfiles.convert(tree, content);
      (df == null ? tree.warnings() : df.warnings()).forEach(w -> err.println(w.format()));
      out.print(AstDump.dump(tree));
      out.println();
      if (df != null) {
        err.printf("%s: %d stage(s), %d instruction(s), no errors%n", name, df.stages().size(),
            tree.children().size());
      }
      out.flush();
      return 0;
    } catch (DockerfileException e) {
      for (Diagnostic d : e.diagnostics()) {
        err.println(d.format());
      }
      err.flush();
      return 1;
    }
  }
}
