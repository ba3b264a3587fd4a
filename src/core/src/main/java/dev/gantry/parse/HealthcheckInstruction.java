package dev.gantry.parse;

import dev.gantry.ast.Command;
import dev.gantry.ast.Healthcheck;
import dev.gantry.ast.SyntaxNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Converts HEALTHCHECK: {@code NONE}, or timing flags and a CMD. */
final class HealthcheckInstruction {
  private HealthcheckInstruction() {}

  private static final Duration MINIMUM = Duration.ofMillis(1);

  static Healthcheck healthcheck(SyntaxNode node) {
    List<String> args = node.args();
    if (args.isEmpty()) {
      throw SimpleInstructions.atLeastOne("HEALTHCHECK");
    }
    String type = args.get(0).toUpperCase(Locale.ROOT);
    List<String> rest = args.subList(1, args.size());
    if (type.equals("NONE")) {
      if (!rest.isEmpty()) {
        throw new ConversionError("HEALTHCHECK NONE takes no arguments");
      }
      return new Healthcheck(node, List.of("NONE"), Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, 0);
    }
    BuilderFlags flags = new BuilderFlags(node.flags());
    BuilderFlags.Flag interval = flags.addString("interval", "");
    BuilderFlags.Flag timeout = flags.addString("timeout", "");
    BuilderFlags.Flag startPeriod = flags.addString("start-period", "");
    BuilderFlags.Flag startInterval = flags.addString("start-interval", "");
    BuilderFlags.Flag retries = flags.addString("retries", "");
    SimpleInstructions.parse(flags);
    if (!type.equals("CMD")) {
      throw new ConversionError("Unknown type \"" + type + "\" in HEALTHCHECK (try CMD)");
    }
    Command command = Command.of(rest, node.json(), List.of());
    if (command.isEmpty()) {
      throw new ConversionError("Missing command after HEALTHCHECK CMD");
    }
    List<String> test = new ArrayList<>();
    test.add(node.json() ? "CMD" : "CMD-SHELL");
    test.addAll(command.args());
    return new Healthcheck(node, test, interval(interval), interval(timeout), interval(startPeriod),
        interval(startInterval), retries(retries.value()));
  }

  /** A duration option: empty or zero means unset; a non-zero value below 1ms is an error. */
  static Duration interval(BuilderFlags.Flag flag) {
    return interval(flag.name(), flag.value());
  }

  static Duration interval(String name, String value) {
    if (value.isEmpty()) {
      return Duration.ZERO;
    }
    Duration d;
    try {
      d = GoDuration.parse(value);
    } catch (IllegalArgumentException e) {
      throw new ConversionError(e.getMessage(), "durations are written like 30s, 1m30s or 500ms");
    }
    if (d.isZero()) {
      return d;
    }
    if (d.compareTo(MINIMUM) < 0) {
      throw new ConversionError("Interval \"" + name + "\" cannot be less than 1ms");
    }
    return d;
  }

  private static int retries(String value) {
    if (value.isEmpty()) {
      return 0;
    }
    long n;
    try {
      n = Long.parseLong(value.startsWith("+") ? value.substring(1) : value);
      if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
        throw new ConversionError("strconv.ParseInt: parsing \"" + value + "\": value out of range");
      }
    } catch (NumberFormatException e) {
      throw new ConversionError("strconv.ParseInt: parsing \"" + value + "\": invalid syntax");
    }
    if (n < 0) {
      throw new ConversionError("--retries cannot be negative (" + n + ")");
    }
    return (int) n;
  }
}
