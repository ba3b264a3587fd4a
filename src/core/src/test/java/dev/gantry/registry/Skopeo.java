package dev.gantry.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs skopeo (the independent client the registry tests compare against). */
final class Skopeo {
  private Skopeo() {}

  /** Runs {@code skopeo --insecure-policy ARGS}; returns stdout, fails with its output when it exits non-zero. */
  static String run(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("skopeo " + String.join(" ", args) + " failed: " + out);
    }
    return out;
  }

  /** The args with {@code extra} (possibly empty) inserted after the first one. */
  static String[] with(String first, String[] extra, String... rest) {
    List<String> all = new ArrayList<>();
    all.add(first);
    all.addAll(List.of(extra));
    all.addAll(List.of(rest));
    return all.toArray(String[]::new);
  }
}
