package dev.gantry.parse;

import java.nio.charset.StandardCharsets;

/**
 * Parse benchmark: generates a 10,000-instruction Dockerfile (continuations, heredocs, JSON and
 * shell forms, flags, comments) and prints the warm-JVM average time of {@link SyntaxParser#parse}.
 * Run through {@code bench/parse-bench.sh}; arguments: instructions, warm-up runs, timed runs.
 */
public final class ParseBench {
  private ParseBench() {}

  public static void main(String[] args) {
    int instructions = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 40;
    byte[] input = ParseCorpus.generated(instructions).getBytes(StandardCharsets.UTF_8);
    int nodes = 0;
    for (int i = 0; i < warmup; i++) {
      nodes = SyntaxParser.parse("bench", input).children().size();
    }
    long total = 0;
    long best = Long.MAX_VALUE;
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      SyntaxParser.parse("bench", input);
      long t = System.nanoTime() - t0;
      total += t;
      best = Math.min(best, t);
    }
    System.out.printf("parse: %d instructions (%d nodes, %d bytes): average %.1f ms, best %.1f ms over %d warm runs%n",
        instructions, nodes, input.length, total / 1e6 / runs, best / 1e6, runs);
  }
}
