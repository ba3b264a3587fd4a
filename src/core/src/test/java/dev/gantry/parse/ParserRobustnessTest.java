package dev.gantry.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.ast.AstDump;
import dev.gantry.ast.DockerfileException;
import dev.gantry.ast.SyntaxTree;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Robustness: seeded mutants of every corpus Dockerfile either parse or fail with a
 * {@link DockerfileException}, never another exception; parse time grows about linearly.
 */
class ParserRobustnessTest {
  private static final byte[][] INSERTS = {
    "\\".getBytes(), "`".getBytes(), "<<".getBytes(), "<<-EOF\n".getBytes(), "[".getBytes(), "]".getBytes(),
    "\"".getBytes(), "'".getBytes(), "\n".getBytes(), "\r\n".getBytes(), " --".getBytes(), "${".getBytes(),
    "#".getBytes(), "\t".getBytes(), "=".getBytes(), "{\"".getBytes(), new byte[] {(byte) 0xC2, (byte) 0xA0},
    new byte[] {(byte) 0xFF}, "\nONBUILD RUN <<E\n".getBytes(), "\nEOF\n".getBytes()};

  @Test
  void mutantsOnlyEverParseOrThrowDockerfileException() {
    List<byte[]> corpus = ParseCorpus.dockerfiles();
    assertThat(corpus).hasSizeGreaterThan(20);
    Random random = new Random(20240611L);
    int parsed = 0;
    int rejected = 0;
    List<String> crashes = new ArrayList<>();
    int mutants = 4000;
    for (int i = 0; i < mutants; i++) {
      byte[] original = corpus.get(random.nextInt(corpus.size()));
      byte[] mutant = original;
      int edits = 1 + random.nextInt(4);
      for (int e = 0; e < edits; e++) {
        mutant = mutate(mutant, random);
      }
      try {
        SyntaxTree tree = SyntaxParser.parse("Dockerfile", mutant);
        AstDump.dump(tree);
        parsed++;
      } catch (DockerfileException ex) {
        assertThat(ex.diagnostics()).isNotEmpty();
        rejected++;
      } catch (RuntimeException | StackOverflowError ex) {
        if (crashes.size() < 5) {
          crashes.add(ex + " on " + new String(mutant, StandardCharsets.UTF_8));
        }
      }
    }
    System.out.println("fuzz: " + mutants + " mutants, " + parsed + " parsed, " + rejected + " rejected");
    assertThat(crashes).isEmpty();
    assertThat(parsed).isPositive();
    assertThat(rejected).isPositive();
  }

  /** One random edit of {@code in}: a flipped bit, a truncation or an inserted fragment. */
  static byte[] mutate(byte[] in, Random r) {
    if (in.length == 0) {
      return INSERTS[r.nextInt(INSERTS.length)].clone();
    }
    int at = r.nextInt(in.length + 1);
    switch (r.nextInt(4)) {
      case 0 -> { // flip a byte
        byte[] out = in.clone();
        out[Math.min(at, in.length - 1)] ^= (byte) (1 << r.nextInt(8));
        return out;
      }
      case 1 -> { // truncate
        return Arrays.copyOf(in, at);
      }
      default -> { // insert a meaningful fragment
        byte[] ins = INSERTS[r.nextInt(INSERTS.length)];
        byte[] out = new byte[in.length + ins.length];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(ins, 0, out, at, ins.length);
        System.arraycopy(in, at, out, at + ins.length, in.length - at);
        return out;
      }
    }
  }

  @Test
  void parseTimeGrowsRoughlyLinearly() {
    byte[] small = ParseCorpus.generated(500).getBytes(StandardCharsets.UTF_8);
    byte[] large = ParseCorpus.generated(4000).getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 5; i++) {
      SyntaxParser.parse("warm", small);
      SyntaxParser.parse("warm", large);
    }
    long tSmall = best(small);
    long tLarge = best(large);
    assertThat(SyntaxParser.parse("large", large).children()).hasSize(1 + 4000 + 500);
    double ratio = (double) tLarge / Math.max(1, tSmall);
    System.out.printf("linearity: 500 -> %.2f ms, 4000 -> %.2f ms, ratio %.1f%n", tSmall / 1e6, tLarge / 1e6, ratio);
    assertThat(ratio).isLessThan(40.0);
  }

  private static long best(byte[] input) {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      long t0 = System.nanoTime();
      SyntaxParser.parse("t", input);
      best = Math.min(best, System.nanoTime() - t0);
    }
    return best;
  }
}
