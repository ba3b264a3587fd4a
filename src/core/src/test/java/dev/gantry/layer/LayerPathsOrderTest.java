package dev.gantry.layer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link LayerPaths#ORDER} against a plain split-and-compare statement of the same order. */
class LayerPathsOrderTest {
  /** The order as its definition states it: components compared by UTF-8 bytes, the opaque marker first. */
  private static int reference(String a, String b) {
    String[] x = a.split("/");
    String[] y = b.split("/");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      if (x[i].equals(y[i])) {
        continue;
      }
      if (x[i].equals(LayerPaths.OPAQUE_MARKER)) {
        return -1;
      }
      if (y[i].equals(LayerPaths.OPAQUE_MARKER)) {
        return 1;
      }
      return Arrays.compareUnsigned(x[i].getBytes(StandardCharsets.UTF_8), y[i].getBytes(StandardCharsets.UTF_8));
    }
    return Integer.compare(x.length, y.length);
  }

  private static final String[] NAMES = {"a", "b", "a.txt", "a-b", "ab", "A", "é", "z", "\uD83D\uDE00", "\uFB01",
      LayerPaths.OPAQUE_MARKER, ".wh.a", "", "0", "a b"};

  private static String path(Random r) {
    int n = 1 + r.nextInt(4);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      String name = NAMES[r.nextInt(NAMES.length)];
      sb.append(i == 0 ? "" : "/").append(name.isEmpty() ? "x" : name);
    }
    return r.nextInt(4) == 0 ? sb + "/" : sb.toString();
  }

  @Test
  void agreesWithTheDefinitionOnRandomPaths() {
    Random r = new Random(11);
    for (int k = 0; k < 200_000; k++) {
      String a = path(r);
      String b = r.nextInt(5) == 0 ? a : path(r);
      assertThat(Integer.signum(LayerPaths.ORDER.compare(a, b))).as(a + " vs " + b)
          .isEqualTo(Integer.signum(reference(a, b)));
    }
  }

  @Test
  void directoriesComeBeforeSiblingsThatSortAfterTheirNameAndTheMarkerFirst() {
    assertThat(LayerPaths.ORDER.compare("a/b", "a.txt")).isNegative();
    assertThat(LayerPaths.ORDER.compare("a/", "a")).isZero();
    assertThat(LayerPaths.ORDER.compare("d/" + LayerPaths.OPAQUE_MARKER, "d/0")).isNegative();
    assertThat(LayerPaths.ORDER.compare("\uFB01", "\uD83D\uDE00")).isNegative();
  }
}
