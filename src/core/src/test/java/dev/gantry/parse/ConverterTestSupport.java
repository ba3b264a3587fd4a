package dev.gantry.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gantry.ast.Diagnostic;
import dev.gantry.ast.Dockerfile;
import dev.gantry.ast.DockerfileException;
import dev.gantry.ast.Instruction;
import dev.gantry.ast.SyntaxNode;
import java.util.List;

/** Helpers shared by the converter unit tests. */
final class ConverterTestSupport {
  private ConverterTestSupport() {}

  /** Converts {@code FROM scratch} followed by the node; returns the node's instruction. */
  static Instruction one(SyntaxNode node) {
    Dockerfile d = InstructionConverter.convert(Nodes.tree(Nodes.node("FROM", "scratch"), node));
    return d.stages().get(0).instructions().get(0);
  }

  /** The error messages of converting {@code FROM scratch} followed by the nodes. */
  static List<String> errors(SyntaxNode... nodes) {
    SyntaxNode[] all = new SyntaxNode[nodes.length + 1];
    all[0] = Nodes.node("FROM", "scratch");
    System.arraycopy(nodes, 0, all, 1, nodes.length);
    DockerfileException e = catchThrowableOfType(() -> InstructionConverter.convert(Nodes.tree(all)),
        DockerfileException.class);
    assertThat(e).as("conversion must fail").isNotNull();
    return e.diagnostics().stream().map(Diagnostic::message).toList();
  }

  /** The single error message of converting {@code FROM scratch} plus the node. */
  static String error(SyntaxNode node) {
    List<String> errors = errors(node);
    assertThat(errors).hasSize(1);
    return errors.get(0);
  }
}
