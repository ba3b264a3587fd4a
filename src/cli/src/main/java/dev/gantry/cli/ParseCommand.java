package dev.gantry.cli;

import dev.gantry.ast.AstDump;
import dev.gantry.ast.Diagnostic;
import dev.gantry.ast.Dockerfile;
import dev.gantry.ast.DockerfileException;
import dev.gantry.ast.SyntaxTree;
import dev.gantry.parse.InstructionConverter;
import dev.gantry.parse.SyntaxParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code gantry parse}: reads a Dockerfile and prints its syntax tree or its errors. */
@Command(
    name = "parse",
    mixinStandardHelpOptions = true,
    description = {
      "Read a Dockerfile as BuildKit does and print it, or print every error with its position.",
      "",
      "Without --dump the file is also checked instruction by instruction (flags, arity, stage names,",
      "mount specs, ...) as a build would check it.",
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  gantry parse Dockerfile            check a Dockerfile, print a summary",
      "  gantry parse --dump Dockerfile     print BuildKit's parser dump (one line per instruction)",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the file is valid", "1:the file has errors", "2:usage error"})
final class ParseCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--dump", description = "Print BuildKit's syntax dump; only syntax errors are reported.")
  boolean dump;

  @Parameters(paramLabel = "FILE", description = "The Dockerfile to read ('-' for standard input).")
  String file;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    byte[] content = file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
    String name = file.equals("-") ? "Dockerfile" : file;
    try {
      if (dump) {
        SyntaxTree tree = SyntaxParser.parse(name, content);
        tree.warnings().forEach(w -> err.println(w.format()));
        out.print(AstDump.dump(tree));
        out.println();
      } else {
        SyntaxTree tree = SyntaxParser.parse(name, content);
        Dockerfile df = InstructionConverter.convert(tree);
        df.warnings().forEach(w -> err.println(w.format()));
        out.print(AstDump.dump(tree));
        out.println();
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
