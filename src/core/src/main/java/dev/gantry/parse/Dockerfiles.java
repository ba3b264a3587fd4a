package dev.gantry.parse;

import dev.gantry.ast.Dockerfile;
import dev.gantry.ast.Instruction;
import dev.gantry.ast.SyntaxTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Dockerfile front end, the one way in for the builder, the CLI and tests: the syntax level
 * ({@link SyntaxParser}: directives, instructions as written, syntax errors) and the typed,
 * validated {@link Dockerfile} ({@link InstructionConverter}, with the doc comments of
 * {@link DocComments}).
 *
 * <p>Stateless and thread-safe.
 */
public final class Dockerfiles {
  private Dockerfiles() {}

  /**
   * Parses and validates a Dockerfile.
   *
   * @param fileName the name used in diagnostics
   * @param content the raw bytes
   * @throws dev.gantry.ast.DockerfileException with every syntax error, or else every validation
   *     error, of the file
   */
  public static Dockerfile parse(String fileName, byte[] content) {
    return convert(syntax(fileName, content), content);
  }

  /** Reads and parses a Dockerfile; diagnostics name the path as given. */
  public static Dockerfile parse(Path path) throws IOException {
    return parse(path.toString(), Files.readAllBytes(path));
  }

  /**
   * The syntax level alone ({@code gantry parse --dump}): every syntax error, none of the checks of
   * {@link #convert}.
   *
   * @throws dev.gantry.ast.DockerfileException with every syntax error of the file
   */
  public static SyntaxTree syntax(String fileName, byte[] content) {
    return SyntaxParser.parse(fileName, content);
  }

  /**
   * The typed, validated Dockerfile of {@code tree}, which {@link #syntax} read from {@code content}.
   *
   * @throws dev.gantry.ast.DockerfileException with every validation error
   */
  public static Dockerfile convert(SyntaxTree tree, byte[] content) {
    return InstructionConverter.convert(tree, DocComments.scan(content, tree));
  }

  /** A base image's ONBUILD {@code trigger} as the instruction it runs. */
  public static Instruction trigger(String trigger) {
    Dockerfile df = parse("ONBUILD", ("FROM scratch\n" + trigger + "\n").getBytes(StandardCharsets.UTF_8));
    return df.stages().get(0).instructions().get(0);
  }
}
