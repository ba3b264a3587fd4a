package dev.gantry.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Runs a real tool and returns what it printed; fails with its output when it fails. */
public final class Commands {
  private Commands() {}

  /** What a finished command printed and its exit status. */
  public record Result(int status, String stdout, String stderr) {}

  /** Runs {@code command} (stdin closed) with a timeout of 2 minutes. */
  public static Result run(Path work, List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + String.join(" ", command));
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /** Runs {@code command} and returns its stdout, failing unless it exits with 0. */
  public static String ok(Path work, List<String> command) throws IOException, InterruptedException {
    Result r = run(work, command);
    if (r.status() != 0) {
      throw new AssertionError(String.join(" ", command) + " exited with " + r.status() + ":\n" + r.stdout()
          + r.stderr());
    }
    return r.stdout();
  }

  /**
   * Unpacks {@code layoutAndTag} ({@code DIR:TAG}) with umoci into {@code bundle} and runs it with
   * runc (no terminal), returning what it printed; the container is deleted afterwards.
   */
  public static Result runUnpacked(Path work, String layoutAndTag, Path bundle) throws IOException, InterruptedException {
    ok(work, List.of("umoci", "unpack", "--image", layoutAndTag, bundle.toString()));
    Path configFile = bundle.resolve("config.json");
    ObjectMapper json = new ObjectMapper();
    ObjectNode config = (ObjectNode) json.readTree(configFile.toFile());
    ((ObjectNode) config.path("process")).put("terminal", false);
    json.writeValue(configFile.toFile(), config);
    String id = "gantry-test-" + UUID.randomUUID().toString().substring(0, 8);
    Path state = Files.createDirectories(work.resolve("runc-state"));
    try {
      return run(work, List.of("runc", "--root", state.toString(), "run", "--bundle", bundle.toString(), id));
    } finally {
      run(work, List.of("runc", "--root", state.toString(), "delete", "--force", id));
    }
  }
}
