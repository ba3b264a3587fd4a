package dev.gantry.parse;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.ast.Directive;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the leading parser-directive block of a Dockerfile ({@code # syntax=...},
 * {@code # escape=`}, {@code # check=...}) as BuildKit does: names are case-insensitive, the block
 * ends at the first line that is not such a directive (an unknown key included), and a repeated
 * directive is an error. Also finds the {@code syntax} and {@code check} directives the way
 * BuildKit's front-end selection does ({@link #detectSyntax}, {@link #parseDirective}).
 *
 * <p>An instance scans one file, line by line, and is not thread-safe; the static methods are.
 */
public final class DirectiveScanner {
  private static final Pattern DIRECTIVE =
      Pattern.compile("^([a-zA-Z][a-zA-Z0-9]*)[\\t\\n\\f\\r ]*=[\\t\\n\\f\\r ]*([^\\n]+?)[\\t\\n\\f\\r ]*\\z");
  private static final Set<String> KNOWN = Set.of("syntax", "escape", "check");

  /** Jackson is loaded only when the JSON form is looked for. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  private final String prefix;
  private final Set<String> seen = new HashSet<>();
  private boolean done;

  /**
   * A directive found by {@link #detectSyntax} or {@link #parseDirective}.
   *
   * @param ref the value up to its first space (for {@code check}: the same as {@code ref})
   * @param cmdline the whole value
   * @param line the 1-based line it is on (0 for the JSON form without a shebang)
   */
  public record Found(String ref, String cmdline, int line) {}

  private DirectiveScanner(String prefix) {
    this.prefix = prefix;
  }

  /** A scanner for {@code #} directives, the only form a Dockerfile itself honours. */
  public static DirectiveScanner create() {
    return new DirectiveScanner("#");
  }

  /** True once a line that is not a directive has been seen. */
  public boolean done() {
    return done;
  }

  /**
   * Offers the next physical line (without its line break, leading blanks already removed by the
   * caller where BuildKit removes them).
   *
   * @return the directive on this line, or empty (also for every line after the block)
   * @throws IllegalArgumentException when a directive is repeated
   */
  public Optional<Directive> scanLine(String line, int lineNumber) {
    if (done) {
      return Optional.empty();
    }
    if (!line.startsWith(prefix)) {
      done = true;
      return Optional.empty();
    }
    Matcher m = DIRECTIVE.matcher(GoText.trimLeft(line.substring(prefix.length())));
    if (!m.matches()) {
      done = true;
      return Optional.empty();
    }
    String key = m.group(1).toLowerCase(Locale.ROOT);
    if (!KNOWN.contains(key)) {
      done = true;
      return Optional.empty();
    }
    if (!seen.add(key)) {
      throw new IllegalArgumentException("only one " + key + " parser directive can be used");
    }
    return Optional.of(new Directive(key, m.group(2), lineNumber));
  }

  /** Every directive of the leading block of {@code text}, stopping silently at an error. */
  public static List<Directive> parseAll(String text) {
    return scanAll(create(), text, 0);
  }

  private static List<Directive> scanAll(DirectiveScanner scanner, String text, int firstLine) {
    List<Directive> found = new ArrayList<>();
    int line = firstLine;
    for (String l : lines(text)) {
      if (scanner.done) {
        break;
      }
      line++;
      try {
        scanner.scanLine(l, line).ifPresent(found::add);
      } catch (IllegalArgumentException e) {
        break;
      }
    }
    return found;
  }

  /** Lines as Go's bufio.ScanLines gives them: split on LF, one trailing CR dropped. */
  private static List<String> lines(String text) {
    List<String> out = new ArrayList<>();
    int start = 0;
    while (start < text.length()) {
      int nl = text.indexOf('\n', start);
      int end = nl < 0 ? text.length() : nl;
      String l = text.substring(start, end);
      out.add(l.endsWith("\r") ? l.substring(0, l.length() - 1) : l);
      start = end + 1;
    }
    return out;
  }

  /**
   * Finds the {@code syntax} directive: the {@code #} form, else the {@code //} form, else a
   * whole-file JSON object {@code {"syntax": "..."}}. A UTF-8 BOM and a {@code #!} first line are
   * skipped.
   */
  public static Optional<Found> detectSyntax(String text) {
    return find("syntax", text, true);
  }

  /** Finds directive {@code key} (such as {@code check}) in its {@code #} form only. */
  public static Optional<Found> parseDirective(String key, String text) {
    return find(key, text, false);
  }

  private static Optional<Found> find(String key, String text, boolean anyFormat) {
    String dt = text.startsWith("\uFEFF") ? text.substring(1) : text;
    int line = 0;
    int nl = dt.indexOf('\n');
    String first = nl < 0 ? dt : dt.substring(0, nl);
    if (first.startsWith("#!")) {
      dt = nl < 0 ? "" : dt.substring(nl + 1);
      line = 1;
    }
    Optional<Found> hash = lookup(key, scanAll(new DirectiveScanner("#"), dt, line));
    if (hash.isPresent() || !anyFormat) {
      return hash;
    }
    Optional<Found> slashes = lookup(key, scanAll(new DirectiveScanner("//"), dt, line));
    if (slashes.isPresent()) {
      return slashes;
    }
    try {
      JsonNode node = Json.MAPPER.readTree(dt);
      if (node != null && node.isObject() && node.get(key) != null && node.get(key).isTextual()) {
        String v = node.get(key).asText();
        return Optional.of(new Found(v, v, line));
      }
    } catch (IOException e) {
      // not a JSON document: no directive
    }
    return Optional.empty();
  }

  private static Optional<Found> lookup(String key, List<Directive> directives) {
    for (Directive d : directives) {
      if (d.name().equals(key)) {
        int sp = d.value().indexOf(' ');
        String ref = sp < 0 ? d.value() : d.value().substring(0, sp);
        return Optional.of(new Found(ref, d.value(), d.line()));
      }
    }
    return Optional.empty();
  }
}
