package dev.gantry.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Entry point of the {@code gantry} command. */
public final class Main {
  /** The commands, in help order. */
  private static final List<Args.Spec> COMMANDS = List.of(BuildCommand.SPEC, PushCommand.SPEC,
      StoreCommands.IMAGES, StoreCommands.RMI, StoreCommands.DU, StoreCommands.PRUNE, ParseCommand.SPEC);

  private Main() {}

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    // Blob uploads read their file in chunks of this size (the JDK's default is 16 KiB); larger
    // chunks cut the per-chunk work of a push by about a tenth. Only the command sets it: a
    // process that uses Gantry as a library keeps its own HTTP client settings.
    if (System.getProperty("jdk.httpclient.bufsize") == null) {
      System.setProperty("jdk.httpclient.bufsize", Integer.toString(256 * 1024));
    }
    int code = run(args);
    stopHttpSelectors();
    System.exit(code);
  }

  /**
   * Lets the threads of the JDK's HTTP client end before the JVM exits. Each client keeps a selector
   * thread waiting in a native call, and at exit the JVM gives threads in native calls 300 ms to
   * return before it goes on, which a push or pull would otherwise pay on every run. Interrupting
   * the selector makes it shut its client down and end; this process owns no other client.
   */
  private static void stopHttpSelectors() {
    ThreadGroup root = Thread.currentThread().getThreadGroup();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    Thread[] threads = new Thread[root.activeCount() + 8];
    int n = root.enumerate(threads, true);
    for (int i = 0; i < n; i++) {
      String name = threads[i].getName();
      if (name.startsWith("HttpClient-") && name.endsWith("-SelectorManager")) {
        threads[i].interrupt();
        try {
          threads[i].join(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Runs the command line and returns the exit code (0 ok, 1 failure, 2 usage error). */
  public static int run(String... argv) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    String name = argv.length == 0 ? "" : argv[0];
    String[] rest = argv.length == 0 ? argv : Arrays.copyOfRange(argv, 1, argv.length);
    Args.Spec spec = null;
    for (Args.Spec c : COMMANDS) {
      if (c.name().equals(name)) {
        spec = c;
      }
    }
    if (spec == null) {
      return topLevel(name, rest, out, err);
    }
    boolean debug = Arrays.asList(rest).contains("--debug");
    try {
      Args args = Args.parse(spec, rest);
      if (args.printedHelpOrVersion(out)) {
        return 0;
      }
      return switch (name) {
        case "build" -> new BuildCommand(args).call();
        case "push" -> new PushCommand(args).call();
        case "images" -> new StoreCommands(args, out).images();
        case "rmi" -> new StoreCommands(args, out).rmi(err);
        case "du" -> new StoreCommands(args, out).du();
        case "prune" -> new StoreCommands(args, out).prune();
        default -> new ParseCommand(args).call();
      };
    } catch (Args.UsageException | IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      err.println("  hint: see 'gantry " + name + " --help'");
      return 2;
    } catch (Exception e) {
      err.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      if (debug) {
        e.printStackTrace(err);
      }
      return 1;
    }
  }

  /** {@code gantry}, {@code gantry --help}, {@code gantry --version}, {@code gantry help [COMMAND]}. */
  private static int topLevel(String name, String[] rest, PrintStream out, PrintStream err) {
    switch (name) {
      case "", "-h", "--help" -> {
        out.print(usage());
        return 0;
      }
      case "-V", "--version" -> {
        out.println(version());
        return 0;
      }
      case "help" -> {
        if (rest.length == 0) {
          out.print(usage());
          return 0;
        }
        return run(rest[0], "--help");
      }
      default -> {
        List<String> names = new ArrayList<>(COMMANDS.stream().map(Args.Spec::name).toList());
        names.add("help");
        err.println("error: unknown command '" + name + "'" + Args.suggestion(name, names));
        err.println("  hint: see 'gantry --help'");
        return 2;
      }
    }
  }

  /** The top-level help: every command and the common examples. */
  static String usage() {
    StringBuilder sb = new StringBuilder("""
        Usage: gantry [-hV] COMMAND
        Daemonless, reproducible Dockerfile builder.

        """);
    Args.table(sb, Args.STANDARD.stream().map(Args::row).toList());
    sb.append("\nCommands:\n");
    List<String[]> commands = new ArrayList<>();
    for (Args.Spec c : COMMANDS) {
      commands.add(new String[] {"  " + c.name(), c.description().get(0)});
    }
    commands.add(new String[] {"  help", "Show the help of a command."});
    Args.table(sb, commands);
    sb.append("""

        Examples:
          gantry build -t app:1 -o type=oci,dest=out .   build ./Dockerfile into an OCI layout
          gantry push registry.example/app:1             push an image a build tagged so
          gantry images                                  list the images of the local store
          gantry prune --keep-storage 2GiB               shrink the local store, keeping tagged images
          gantry parse --dump Dockerfile                 show how a Dockerfile is read

        Exit codes:
          0   success
          1   Dockerfile or build error
          2   usage error
        """);
    return sb.toString();
  }

  /** {@code gantry VERSION}, from the jar manifest ({@code dev} when run from classes). */
  static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return "gantry " + (v == null ? "dev" : v);
  }
}
