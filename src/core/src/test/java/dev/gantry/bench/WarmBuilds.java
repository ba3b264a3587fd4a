package dev.gantry.bench;

import dev.gantry.api.BuildRequest;
import dev.gantry.api.BuildResult;
import dev.gantry.api.Gantry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Builds one context again and again in one JVM through the library, as a Maven build or an IDE
 * plugin does: after a few warm-up rounds, each round times a no-op rebuild, then a rebuild after
 * one file is rewritten (same size, new random bytes), and prints every time and the medians.
 *
 * <p>Usage: {@code WarmBuilds CONTEXT STORE FILE [ROUNDS [WARMUP]]}, FILE relative to CONTEXT;
 * the last line is {@code median_ms noop=N onefile=N}.
 */
public final class WarmBuilds {
  private WarmBuilds() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: WarmBuilds CONTEXT STORE FILE [ROUNDS [WARMUP]]");
      System.exit(2);
    }
    Path context = Path.of(args[0]);
    Path store = Path.of(args[1]);
    Path file = context.resolve(args[2]);
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 5;
    Gantry gantry = new Gantry();
    BuildRequest request = BuildRequest.builder(context).storeDirectory(store).tag("app:warm").build();
    Random random = new Random();
    List<Double> noop = new ArrayList<>();
    List<Double> onefile = new ArrayList<>();
    for (int i = 0; i < warmup + rounds; i++) {
      double same = timed(gantry, request);
      rewrite(file, random);
      double changed = timed(gantry, request);
      if (i >= warmup) {
        onefile.add(changed);
        noop.add(same);
        System.out.printf("round %d onefile_ms=%.1f noop_ms=%.1f%n", i - warmup + 1, changed, same);
      }
    }
    System.out.printf("median_ms noop=%.1f onefile=%.1f%n", median(noop), median(onefile));
  }

  private static double timed(Gantry gantry, BuildRequest request) throws Exception {
    long t0 = System.nanoTime();
    BuildResult r = gantry.build(request);
    if (r.manifestDigest() == null) {
      throw new IllegalStateException("no image");
    }
    return (System.nanoTime() - t0) / 1e6;
  }

  private static void rewrite(Path file, Random random) throws IOException {
    byte[] bytes = new byte[(int) Files.size(file)];
    random.nextBytes(bytes);
    Files.write(file, bytes);
  }

  private static double median(List<Double> xs) {
    List<Double> sorted = new ArrayList<>(xs);
    sorted.sort(null);
    int n = sorted.size();
    return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
