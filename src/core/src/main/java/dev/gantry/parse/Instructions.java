package dev.gantry.parse;

import dev.gantry.ast.From;
import dev.gantry.ast.Heredoc;
import dev.gantry.ast.Instruction;
import dev.gantry.ast.Onbuild;
import dev.gantry.ast.Suggestions;
import dev.gantry.ast.SyntaxNode;
import dev.gantry.expand.GoQuote;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Converts one syntax node to its typed instruction (one method per instruction family). */
final class Instructions {
  private Instructions() {}

  /** Every instruction keyword, upper-case. */
  static final List<String> NAMES = List.of("ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM",
      "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR");

  private static final Pattern STAGE_NAME = Pattern.compile("^[a-z][a-z0-9-_.]*$");
  private static final Pattern ONBUILD_PREFIX = Pattern.compile("(?i)^\\s*ONBUILD\\s*");

  /**
   * The typed instruction, or a {@link ConversionError}. {@code comments} are the comment lines
   * right above the instruction (for ARG and FROM doc comments); {@code onbuildProblem} receives
   * the error of an ONBUILD trigger that does not convert.
   */
  static Instruction convert(SyntaxNode node, List<String> comments, java.util.function.Consumer<String> onbuildProblem) {
    return switch (node.name()) {
      case "from" -> from(node, comments);
      case "run" -> RunInstruction.run(node);
      case "cmd" -> SimpleInstructions.cmd(node);
      case "entrypoint" -> SimpleInstructions.entrypoint(node);
      case "shell" -> SimpleInstructions.shell(node);
      case "env" -> SimpleInstructions.env(node);
      case "label" -> SimpleInstructions.label(node);
      case "arg" -> SimpleInstructions.arg(node, comments);
      case "copy" -> CopyInstructions.copy(node);
      case "add" -> CopyInstructions.add(node);
      case "expose" -> SimpleInstructions.expose(node);
      case "volume" -> SimpleInstructions.volume(node);
      case "user" -> SimpleInstructions.user(node);
      case "workdir" -> SimpleInstructions.workdir(node);
      case "stopsignal" -> SimpleInstructions.stopSignal(node);
      case "healthcheck" -> HealthcheckInstruction.healthcheck(node);
      case "onbuild" -> onbuild(node, onbuildProblem);
      case "maintainer" -> SimpleInstructions.maintainer(node);
      default -> throw new ConversionError(
          Suggestions.withSuggestion("unknown instruction: " + node.keyword(), node.keyword(), NAMES, false),
          "instructions are " + String.join(", ", NAMES));
    };
  }

  static From from(SyntaxNode node, List<String> comments) {
    List<String> args = node.args();
    String stageName = null;
    if (args.size() == 3 && args.get(1).equalsIgnoreCase("as")) {
      stageName = args.get(2).toLowerCase(Locale.ROOT);
      if (!STAGE_NAME.matcher(stageName).matches()) {
        throw new ConversionError("invalid name for build stage: " + GoQuote.quote(args.get(2))
            + ", name can't start with a number or contain symbols",
            "a stage name starts with a letter and holds only letters, digits, '-', '_' and '.'");
      }
    } else if (args.size() != 1) {
      throw new ConversionError("FROM requires either one or three arguments", "write FROM image [AS name]");
    }
    BuilderFlags flags = new BuilderFlags(node.flags());
    BuilderFlags.Flag platform = flags.addString("platform", "");
    SimpleInstructions.parse(flags);
    String p = platform.value().isEmpty() ? null : platform.value();
    return new From(node, args.get(0), p, stageName, DocComments.describe(comments, stageName));
  }

  static Onbuild onbuild(SyntaxNode node, java.util.function.Consumer<String> onbuildProblem) {
    SyntaxNode child = node.child();
    if (child == null) {
      throw SimpleInstructions.atLeastOne("ONBUILD");
    }
    SimpleInstructions.noFlags(node);
    String trigger = child.keyword().strip().toUpperCase(Locale.ROOT);
    switch (trigger) {
      case "ONBUILD" -> throw new ConversionError("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
      case "MAINTAINER", "FROM" -> throw new ConversionError(trigger + " isn't allowed as an ONBUILD trigger");
      default -> { }
    }
    StringBuilder expression = new StringBuilder(ONBUILD_PREFIX.matcher(node.original()).replaceFirst(""));
    List<Heredoc> heredocs = node.heredocs().isEmpty() ? child.heredocs() : node.heredocs();
    for (Heredoc h : heredocs) {
      expression.append('\n').append(h.content()).append(h.name());
    }
    Instruction converted = null;
    try {
      converted = convert(child, List.of(), onbuildProblem);
    } catch (ConversionError e) {
      onbuildProblem.accept("ONBUILD trigger will fail when it runs: " + e.getMessage());
    }
    return new Onbuild(node, expression.toString(), converted);
  }
}
