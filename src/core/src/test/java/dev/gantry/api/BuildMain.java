package dev.gantry.api;

import dev.gantry.model.BuildEvent;
import dev.gantry.model.BuildException;
import dev.gantry.model.Output;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One build in a separate JVM, started by the engine tests.
 *
 * <pre>
 * BuildMain CONTEXT STORE [--dockerfile FILE] [--out OCI_DIR] [--archive OCI_TAR] [--epoch SECONDS] [--go FILE]
 *     [--secret ID=FILE] [--output-lines true]
 * </pre>
 *
 * With {@code --go} it prints {@code ready} and waits until FILE exists before building, so that two
 * processes start at the same moment. At the end it prints {@code manifest=DIGEST} and
 * {@code config=DIGEST}; a failed build exits with status 1 and its message. With
 * {@code --output-lines true} every output line of a RUN is printed as {@code run: LINE} as it comes.
 */
public final class BuildMain {
  private BuildMain() {}

  public static void main(String[] args) throws Exception {
    BuildRequest.Builder req = BuildRequest.builder(Path.of(args[0])).storeDirectory(Path.of(args[1]));
    Path go = null;
    for (int i = 2; i < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--dockerfile" -> req.dockerfile(Path.of(v));
        case "--out" -> req.output(new Output.OciLayout(Path.of(v)));
        case "--archive" -> req.output(new Output.OciArchive(Path.of(v)));
        case "--epoch" -> req.sourceDateEpoch(Long.parseLong(v));
        case "--go" -> go = Path.of(v);
        case "--secret" -> req.secret(v.substring(0, v.indexOf('=')), Path.of(v.substring(v.indexOf('=') + 1)));
        case "--output-lines" -> req.listener(e -> {
          if (e instanceof BuildEvent.Output o) {
            System.out.println("run: " + o.line());
            System.out.flush();
          }
        });
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (go != null) {
      System.out.println("ready");
      System.out.flush();
      while (!Files.exists(go)) {
        Thread.sleep(2);
      }
    }
    try {
      BuildResult r = new Gantry().build(req.build());
      System.out.println("manifest=" + r.manifestDigest());
      System.out.println("config=" + r.configDigest());
    } catch (BuildException e) {
      System.out.println("failed: " + e.getMessage());
      System.exit(1);
    }
  }
}
