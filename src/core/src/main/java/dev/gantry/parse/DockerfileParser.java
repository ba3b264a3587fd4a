package dev.gantry.parse;

import dev.gantry.ast.Dockerfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Dockerfile front end in one call: reads the syntax ({@link SyntaxParser}), collects doc
 * comments ({@link DocComments}) and converts to a typed, validated {@link Dockerfile}
 * ({@link InstructionConverter}).
 *
 * <p>Stateless and thread-safe.
 */
public final class DockerfileParser {
  private DockerfileParser() {}

  /**
   * Parses and validates a Dockerfile.
   *
   * @param fileName the name used in diagnostics
   * @param content the raw bytes
   * @throws dev.gantry.ast.DockerfileException with every syntax error, or else every validation
   *     error, of the file
   */
  public static Dockerfile parse(String fileName, byte[] content) {
    var tree = SyntaxParser.parse(fileName, content);
    return InstructionConverter.convert(tree, DocComments.scan(content, tree));
  }

  /** Reads and parses a Dockerfile; diagnostics name the path as given. */
  public static Dockerfile parse(Path path) throws IOException {
    return parse(path.toString(), Files.readAllBytes(path));
  }
}
