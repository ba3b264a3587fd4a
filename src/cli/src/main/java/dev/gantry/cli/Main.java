package dev.gantry.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code gantry} command. */
@Command(
    name = "gantry",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Daemonless, reproducible Dockerfile builder.",
    subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code (0 ok, 1 failure, 2 usage error). */
  public static int run(String... args) {
    return new CommandLine(new Main()).execute(args);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
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
