package dev.gantry.ast;

import java.util.Objects;

/**
 * A here-document attached to an instruction ({@code <<EOF ... EOF}).
 *
 * @param name the delimiter word without quotes or {@code -}
 * @param content the raw body including its final newline; leading tabs are NOT removed here even
 *     when {@code chomp} is set (consumers strip them where BuildKit does)
 * @param expand false when the delimiter was quoted, which disables variable expansion
 * @param chomp true for {@code <<-}: leading tabs are stripped from body lines
 * @param fileDescriptor the number before {@code <<} ({@code 2<<EOF}), 0 when absent
 */
public record Heredoc(String name, String content, boolean expand, boolean chomp, int fileDescriptor) {
  public Heredoc {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(content, "content");
  }
}
