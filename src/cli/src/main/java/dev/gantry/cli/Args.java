package dev.gantry.cli;

import dev.gantry.ast.Suggestions;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of one {@code gantry} command: its options and parameters, how arguments are
 * read against them, and its help text.
 *
 * <p>Arguments are read as docker's and GNU tools' are: {@code --name=value} or {@code --name
 * value}, {@code -n value}, {@code -nvalue} or {@code -n=value} for a one-letter name, flags take no
 * value, {@code --} ends the options, and a lone {@code -} is a parameter. Every command knows
 * {@code -h/--help} and {@code -V/--version}. Declared as plain data (no annotations, no
 * reflection): reading a command line costs a few microseconds, where an annotation-driven parser
 * costs a short build a tenth of its time.
 */
final class Args {
  /** One option: its names (short first), the label of its value (null for a flag), its help. */
  record Option(List<String> names, String label, String description, boolean repeatable) {
    static Option flag(String names, String description) {
      return new Option(List.of(names.split(",")), null, description, false);
    }

    static Option value(String names, String label, String description) {
      return new Option(List.of(names.split(",")), label, description, false);
    }

    static Option values(String names, String label, String description) {
      return new Option(List.of(names.split(",")), label, description, true);
    }

    /** The long name, which is also the key values are kept under. */
    String key() {
      return names.get(names.size() - 1);
    }
  }

  /** The parameters after the options: {@code min} required, at most {@code max} (-1: no limit). */
  record Parameter(String label, String description, int min, int max) {}

  /** A command: its name, what it does, its options and parameters, examples and exit codes. */
  record Spec(String name, List<String> description, List<Option> options, List<Parameter> parameters,
      List<String> examples, List<String> exitCodes) {}

  /** A usage error: reported with a hint to the command's help, exit code 2. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message, null, false, false);
    }
  }

  /** The options every command has. */
  static final List<Option> STANDARD = List.of(Option.flag("-h,--help", "Show this help and exit."),
      Option.flag("-V,--version", "Print the version and exit."));

  private final Spec spec;
  private final Map<String, List<String>> values = new HashMap<>();
  private final Map<String, List<String>> parameters = new LinkedHashMap<>();

  private Args(Spec spec) {
    this.spec = spec;
  }

  /** Reads {@code argv} against {@code spec}; throws {@link UsageException} for bad usage. */
  static Args parse(Spec spec, String... argv) {
    Args a = new Args(spec);
    Map<String, Option> byName = new HashMap<>();
    for (Option o : all(spec)) {
      o.names().forEach(n -> byName.put(n, o));
    }
    List<String> rest = new ArrayList<>();
    boolean optionsEnded = false;
    for (int i = 0; i < argv.length; i++) {
      String arg = argv[i];
      if (optionsEnded || arg.equals("-") || !arg.startsWith("-")) {
        rest.add(arg);
        continue;
      }
      if (arg.equals("--")) {
        optionsEnded = true;
        continue;
      }
      String name = arg;
      String inline = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        inline = arg.substring(eq + 1);
      } else if (!arg.startsWith("--") && arg.length() > 2) {
        name = arg.substring(0, 2);
        inline = arg.charAt(2) == '=' ? arg.substring(3) : arg.substring(2);
      }
      Option o = byName.get(name);
      if (o == null) {
        throw new UsageException("unknown option '" + name + "'" + suggestion(name, byName.keySet()));
      }
      if (o.label() == null) {
        if (inline != null) {
          throw new UsageException("option '" + name + "' takes no value");
        }
        a.add(o, "true");
      } else if (inline != null) {
        a.add(o, inline);
      } else if (i + 1 < argv.length) {
        a.add(o, argv[++i]);
      } else {
        throw new UsageException("missing value for option '" + name + "' (" + o.label() + ")");
      }
    }
    if (a.flag("--help") || a.flag("--version")) {
      return a;
    }
    int next = 0;
    for (Parameter p : spec.parameters()) {
      int take = p.max() < 0 ? rest.size() - next : Math.min(p.max(), rest.size() - next);
      if (take < p.min()) {
        throw new UsageException("missing parameter " + p.label());
      }
      a.parameters.put(p.label(), List.copyOf(rest.subList(next, next + take)));
      next += take;
    }
    if (next < rest.size()) {
      throw new UsageException("unexpected argument '" + rest.get(next) + "'");
    }
    return a;
  }

  private void add(Option o, String value) {
    List<String> list = values.computeIfAbsent(o.key(), k -> new ArrayList<>());
    if (!o.repeatable()) {
      list.clear();
    }
    list.add(value);
  }

  /** Whether flag {@code key} (its long name) was given. */
  boolean flag(String key) {
    return values.containsKey(key);
  }

  /** The value of option {@code key}, or {@code otherwise} when it was not given. */
  String value(String key, String otherwise) {
    List<String> v = values.get(key);
    return v == null ? otherwise : v.get(v.size() - 1);
  }

  /** Every value of repeatable option {@code key}, in order. */
  List<String> values(String key) {
    return values.getOrDefault(key, List.of());
  }

  /** The parameters read for {@code label}. */
  List<String> parameters(String label) {
    return parameters.getOrDefault(label, List.of());
  }

  /** The one parameter read for {@code label}, or null. */
  String parameter(String label) {
    List<String> p = parameters(label);
    return p.isEmpty() ? null : p.get(0);
  }

  /** Handles {@code --help} and {@code --version}; returns true when one was printed. */
  boolean printedHelpOrVersion(PrintStream out) {
    if (flag("--help")) {
      out.print(usage(spec));
      return true;
    }
    if (flag("--version")) {
      out.println(Main.version());
      return true;
    }
    return false;
  }

  private static List<Option> all(Spec spec) {
    List<Option> all = new ArrayList<>(spec.options());
    all.addAll(STANDARD);
    return all;
  }

  /** The help text of {@code spec}. */
  static String usage(Spec spec) {
    StringBuilder sb = new StringBuilder("Usage: gantry ").append(spec.name()).append(" [OPTIONS]");
    for (Parameter p : spec.parameters()) {
      String one = p.max() == 1 ? p.label() : p.label() + "...";
      sb.append(' ').append(p.min() == 0 ? "[" + one + "]" : one);
    }
    sb.append('\n');
    spec.description().forEach(line -> sb.append(line).append('\n'));
    List<String[]> rows = new ArrayList<>();
    for (Parameter p : spec.parameters()) {
      rows.add(new String[] {"      " + p.label(), p.description()});
    }
    for (Option o : all(spec)) {
      rows.add(row(o));
    }
    table(sb.append('\n'), rows);
    if (!spec.examples().isEmpty()) {
      sb.append("\nExamples:\n");
      spec.examples().forEach(e -> sb.append("  ").append(e).append('\n'));
    }
    if (!spec.exitCodes().isEmpty()) {
      sb.append("\nExit codes:\n");
      spec.exitCodes().forEach(e -> sb.append("  ").append(e).append('\n'));
    }
    return sb.toString();
  }

  /** An option's help row: its names and value label, then its description. */
  static String[] row(Option o) {
    String shortName = o.names().size() > 1 ? o.names().get(0) + ", " : "    ";
    String label = o.label() == null ? "" : "=" + o.label();
    return new String[] {"  " + shortName + o.key() + label, o.description()};
  }

  /** Two columns: the first padded to the widest entry (up to 30), the second after it. */
  static void table(StringBuilder sb, List<String[]> rows) {
    int width = 0;
    for (String[] r : rows) {
      width = Math.max(width, Math.min(30, r[0].length()));
    }
    for (String[] r : rows) {
      sb.append(r[0]);
      if (r[0].length() > width) {
        sb.append('\n').append(" ".repeat(width));
      } else {
        sb.append(" ".repeat(width - r[0].length()));
      }
      sb.append("  ").append(r[1]).append('\n');
    }
  }

  /** {@code ", did you mean 'x'?"} for the closest known name (BuildKit's rule), or empty. */
  static String suggestion(String given, Collection<String> known) {
    return Suggestions.closest(given, known, true).map(k -> ", did you mean '" + k + "'?").orElse("");
  }
}
