package dev.gantry.parse;

import dev.gantry.ast.Arg;
import dev.gantry.ast.ArgDefinition;
import dev.gantry.ast.Cmd;
import dev.gantry.ast.Command;
import dev.gantry.ast.Entrypoint;
import dev.gantry.ast.Env;
import dev.gantry.ast.Expose;
import dev.gantry.ast.KeyValue;
import dev.gantry.ast.Label;
import dev.gantry.ast.Maintainer;
import dev.gantry.ast.Shell;
import dev.gantry.ast.StopSignal;
import dev.gantry.ast.SyntaxNode;
import dev.gantry.ast.User;
import dev.gantry.ast.Volume;
import dev.gantry.ast.Workdir;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts the instructions that take plain values: ENV, LABEL, ARG, EXPOSE, VOLUME, USER,
 * WORKDIR, STOPSIGNAL, MAINTAINER, SHELL, CMD and ENTRYPOINT.
 */
final class SimpleInstructions {
  private SimpleInstructions() {}

  static Env env(SyntaxNode node) {
    noFlags(node);
    return new Env(node, keyValues(node.args(), "ENV"));
  }

  static Label label(SyntaxNode node) {
    noFlags(node);
    return new Label(node, keyValues(node.args(), "LABEL"));
  }

  /** ENV/LABEL arguments come from the parser as {@code key value separator} triples. */
  static List<KeyValue> keyValues(List<String> args, String name) {
    if (args.isEmpty()) {
      throw atLeastOne(name);
    }
    if (args.size() % 3 != 0) {
      throw new ConversionError("Bad input to " + name + ", too many arguments");
    }
    List<KeyValue> out = new ArrayList<>();
    for (int i = 0; i < args.size(); i += 3) {
      if (args.get(i).isEmpty()) {
        throw new ConversionError(name + " names can not be blank");
      }
      out.add(new KeyValue(args.get(i), args.get(i + 1), args.get(i + 2).isEmpty()));
    }
    return out;
  }

  /** ARG takes no flags and does not check for them, as in BuildKit. */
  static Arg arg(SyntaxNode node, List<String> comments) {
    if (node.args().isEmpty()) {
      throw atLeastOne("ARG");
    }
    List<ArgDefinition> defs = new ArrayList<>();
    for (String word : node.args()) {
      int eq = word.indexOf('=');
      String key = eq < 0 ? word : word.substring(0, eq);
      if (eq == 0) {
        throw new ConversionError("ARG names can not be blank");
      }
      defs.add(new ArgDefinition(key, eq < 0 ? null : word.substring(eq + 1), DocComments.describe(comments, key)));
    }
    return new Arg(node, defs);
  }

  static Expose expose(SyntaxNode node) {
    if (node.args().isEmpty()) {
      throw atLeastOne("EXPOSE");
    }
    noFlags(node);
    List<String> ports = new ArrayList<>(node.args());
    ports.sort(null);
    return new Expose(node, ports);
  }

  static Volume volume(SyntaxNode node) {
    if (node.args().isEmpty()) {
      throw atLeastOne("VOLUME");
    }
    noFlags(node);
    List<String> paths = new ArrayList<>();
    for (String v : node.args()) {
      String t = v.strip();
      if (t.isEmpty()) {
        throw new ConversionError("VOLUME specified can not be an empty string");
      }
      paths.add(t);
    }
    return new Volume(node, paths);
  }

  static User user(SyntaxNode node) {
    return new User(node, exactlyOne(node, "USER", true));
  }

  static Workdir workdir(SyntaxNode node) {
    return new Workdir(node, exactlyOne(node, "WORKDIR", true));
  }

  /** STOPSIGNAL ignores flags, as BuildKit does. */
  static StopSignal stopSignal(SyntaxNode node) {
    return new StopSignal(node, exactlyOne(node, "STOPSIGNAL", false));
  }

  static Maintainer maintainer(SyntaxNode node) {
    return new Maintainer(node, exactlyOne(node, "MAINTAINER", true));
  }

  static Shell shell(SyntaxNode node) {
    noFlags(node);
    Command c = Command.of(node.args(), node.json(), List.of());
    if (c.isEmpty()) {
      throw atLeastOne("SHELL");
    }
    if (!node.json()) {
      throw new ConversionError("SHELL requires the arguments to be in JSON form",
          "write it as a JSON array, e.g. SHELL [\"/bin/sh\", \"-c\"]");
    }
    return new Shell(node, c.args());
  }

  static Cmd cmd(SyntaxNode node) {
    noFlags(node);
    return new Cmd(node, Command.of(node.args(), node.json(), List.of()));
  }

  static Entrypoint entrypoint(SyntaxNode node) {
    noFlags(node);
    return new Entrypoint(node, Command.of(node.args(), node.json(), List.of()));
  }

  private static String exactlyOne(SyntaxNode node, String name, boolean checkFlags) {
    if (node.args().size() != 1) {
      throw new ConversionError(name + " requires exactly one argument");
    }
    if (checkFlags) {
      noFlags(node);
    }
    return node.args().get(0);
  }

  static ConversionError atLeastOne(String name) {
    return new ConversionError(name + " requires at least one argument");
  }

  /** Fails on any flag (the instruction declares none). */
  static void noFlags(SyntaxNode node) {
    parse(new BuilderFlags(node.flags()));
  }

  /** Parses declared flags, turning a flag error into a conversion error with a hint. */
  static void parse(BuilderFlags flags) {
    try {
      flags.parse();
    } catch (IllegalArgumentException e) {
      throw new ConversionError(e.getMessage(), flags.declared());
    }
  }
}
