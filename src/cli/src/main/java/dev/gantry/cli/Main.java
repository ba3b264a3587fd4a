package dev.gantry.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code gantry} command. */
@Command(
    name = "gantry",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Daemonless, reproducible Dockerfile builder.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  gantry build -t app:1 -o type=oci,dest=out .   build ./Dockerfile into an OCI layout",
      "  gantry push registry.example/app:1             push an image a build tagged so",
      "  gantry parse --dump Dockerfile                 show how a Dockerfile is read",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:Dockerfile or build error", "2:usage error"})
public final class Main implements Runnable {

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
  public static int run(String... args) {
    Object sub = args.length == 0 ? null : switch (args[0]) {
      case "build" -> new BuildCommand();
      case "push" -> new PushCommand();
      case "parse" -> new ParseCommand();
      default -> null;
    };
    // A subcommand runs as a command of its own: picocli then reads one command's annotations, not
    // two, which is a good part of a short run's start-up.
    CommandLine cli = sub == null ? commandLine() : new CommandLine(sub).setCommandName("gantry " + args[0]);
    if (sub != null) {
      args = java.util.Arrays.copyOfRange(args, 1, args.length);
    }
    boolean debug = java.util.Arrays.asList(args).contains("--debug");
    cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      if (ex instanceof IllegalArgumentException) {
        cmd.getErr().println("error: " + ex.getMessage());
        cmd.getErr().println("  hint: see '" + cmd.getCommandSpec().qualifiedName() + " --help'");
        return 2;
      }
      cmd.getErr().println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
      if (debug) {
        ex.printStackTrace(cmd.getErr());
      }
      return 1;
    });
    return cli.execute(args);
  }

  /** The whole command line, with every subcommand (help, usage, suggestions for unknown commands). */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.addSubcommand(new BuildCommand());
    cli.addSubcommand(new PushCommand());
    cli.addSubcommand(new ParseCommand());
    cli.addSubcommand(new CommandLine.HelpCommand());
    return cli;
  }

  @Override
  public void run() {
    commandLine().usage(System.out);
  }

  /** Reads the version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"gantry " + (v == null ? "dev" : v)};
    }
  }
}
