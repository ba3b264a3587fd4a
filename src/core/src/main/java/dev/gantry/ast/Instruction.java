package dev.gantry.ast;

import java.util.List;

/**
 * One typed Dockerfile instruction, converted from a {@link SyntaxNode} and validated the way
 * BuildKit's {@code instructions} package validates it.
 *
 * <p>Every value is kept exactly as written: variables are expanded later, by the planner.
 * {@link #expandable()} names the words BuildKit would expand for the instruction. All
 * implementations are immutable records.
 */
public sealed interface Instruction
    permits From, Run, Cmd, Entrypoint, Shell, Env, Label, Arg, Copy, Add, Expose, Volume, User,
        Workdir, StopSignal, Healthcheck, Onbuild, Maintainer {

  /** The raw syntax node this instruction was converted from. */
  SyntaxNode node();

  /** Where the instruction is in the Dockerfile. */
  default SourceRange range() {
    return node().range();
  }

  /** The instruction's text as written (continuation lines joined, without heredoc bodies). */
  default String original() {
    return node().original();
  }

  /** The upper-case instruction name, e.g. {@code COPY}. */
  default String instructionName() {
    return node().name().toUpperCase(java.util.Locale.ROOT);
  }

  /**
   * The words (unexpanded, in order) that BuildKit expands with the build's ARG and ENV values
   * before using them; empty when the instruction is used verbatim (RUN, CMD, ...).
   */
  default List<String> expandable() {
    return List.of();
  }
}
