package dev.gantry.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerifyingInputStreamTest {
  private static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);

  private static Descriptor descriptor(byte[] bytes, long size) {
    return Descriptor.of(MediaType.OCI_LAYER_TAR, Digest.sha256(bytes), size);
  }

  @Test
  void matchingBytesReadThroughAndSkippedBytesAreHashed() throws IOException {
    try (InputStream in = VerifyingInputStream.of(new ByteArrayInputStream(HELLO), descriptor(HELLO, 5))) {
      assertThat(in.skip(2)).isEqualTo(2);
      assertThat(in.readAllBytes()).containsExactly("llo".getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void wrongContentFailsAtTheEndEveryTime() throws IOException {
    byte[] other = "hellO".getBytes(StandardCharsets.UTF_8);
    InputStream in = VerifyingInputStream.of(new ByteArrayInputStream(other), descriptor(HELLO, 5));
    assertThatThrownBy(in::readAllBytes).hasMessageStartingWith("blob digest mismatch: expected " + Digest.sha256(HELLO));
    assertThatThrownBy(in::read).hasMessageStartingWith("blob digest mismatch");
  }

  @Test
  void sizesAreCheckedWhileReadingAndAtTheEnd() {
    assertThatThrownBy(() -> VerifyingInputStream.of(new ByteArrayInputStream(HELLO), descriptor(HELLO, 4)).readAllBytes())
        .hasMessage("blob " + Digest.sha256(HELLO) + " is longer than its size 4");
    assertThatThrownBy(() -> VerifyingInputStream.of(new ByteArrayInputStream(HELLO), descriptor(HELLO, 6)).readAllBytes())
        .hasMessage("blob " + Digest.sha256(HELLO) + " has 5 bytes, expected 6");
  }

  @Test
  void aDigestAloneHandsAMismatchToTheCaller() {
    List<String> seen = new ArrayList<>();
    InputStream in = VerifyingInputStream.of(new ByteArrayInputStream(HELLO), Digest.sha256(new byte[0]), (actual, size) -> {
      seen.add(actual + " " + size);
      return new IOException("moved aside");
    });
    assertThatThrownBy(in::readAllBytes).hasMessage("moved aside");
    assertThat(seen).containsExactly(Digest.sha256(HELLO) + " 5");
  }
}
