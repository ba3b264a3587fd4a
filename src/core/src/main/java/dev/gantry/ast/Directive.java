package dev.gantry.ast;

import java.util.Objects;

/**
 * A parser directive from the leading comment block ({@code # escape=`}, {@code # syntax=...},
 * {@code # check=...}).
 *
 * @param name the directive name lower-cased
 * @param value the value, trimmed
 * @param line the 1-based line it is on
 */
public record Directive(String name, String value, int line) {
  public Directive {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }
}
