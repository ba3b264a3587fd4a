package dev.gantry.oci;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A content digest such as {@code sha256:9f86d0...}: the only algorithm Gantry writes is sha256.
 *
 * <p>This class is immutable and thread-safe.
 */
public record Digest(String algorithm, String hex) implements Comparable<Digest> {
  private static final Pattern GENERIC =
      Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");

  /** One read buffer per thread: a context of many small files is hashed one stream after another. */
  private static final ThreadLocal<byte[]> READ_BUFFER = ThreadLocal.withInitial(() -> new byte[64 * 1024]);

  public Digest {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(hex, "hex");
    if (algorithm.equals("sha256")) {
      if (!isSha256Hex(hex)) {
        throw new IllegalArgumentException("not a sha256 digest: " + algorithm + ":" + hex);
      }
    } else if (!GENERIC.matcher(algorithm + ":" + hex).matches()) {
      throw new IllegalArgumentException("not a digest: " + algorithm + ":" + hex);
    }
  }

  /** Whether {@code hex} is a sha256 digest's hex form (64 lower-case hex digits). */
  public static boolean isSha256Hex(String hex) {
    if (hex.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = hex.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /** Parses {@code algorithm:hex}; throws {@link IllegalArgumentException} when malformed. */
  public static Digest parse(String text) {
    int colon = text.indexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("not a digest: " + text);
    }
    return new Digest(text.substring(0, colon), text.substring(colon + 1));
  }

  /** The sha256 digest of {@code bytes}. */
  public static Digest sha256(byte[] bytes) {
    return fromHash(newSha256().digest(bytes));
  }

  /** The sha256 digest of the UTF-8 encoding of {@code text}. */
  public static Digest sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The sha256 digest of everything {@code in} yields (the stream is read to its end, not closed). */
  public static Digest sha256(InputStream in) throws IOException {
    MessageDigest md = newSha256();
    byte[] buf = READ_BUFFER.get();
    for (int n; (n = in.read(buf)) > 0; ) {
      md.update(buf, 0, n);
    }
    return fromHash(md.digest());
  }

  /** A digest from a finished sha256 hash value. */
  public static Digest fromHash(byte[] sha256) {
    return new Digest("sha256", HexFormat.of().formatHex(sha256));
  }

  /** The digest of what {@code running}, a sha256 hash still being fed, has taken so far (it is left running). */
  public static Digest soFar(MessageDigest running) {
    try {
      return fromHash(((MessageDigest) running.clone()).digest());
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("sha256 implementation cannot be cloned", e);
    }
  }

  /** A new sha256 {@link MessageDigest}. */
  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  // Written out rather than generated: the generated methods bootstrap through invokedynamic on
  // first use, a cost every short build pays.
  @Override
  public boolean equals(Object o) {
    return o instanceof Digest d && d.algorithm.equals(algorithm) && d.hex.equals(hex);
  }

  @Override
  public int hashCode() {
    return algorithm.hashCode() * 31 + hex.hashCode();
  }

  /** The short form used in progress output: the first 12 hex characters. */
  public String shortHex() {
    return hex.substring(0, Math.min(12, hex.length()));
  }

  @Override
  public int compareTo(Digest o) {
    return toString().compareTo(o.toString());
  }

  /** {@code algorithm:hex}. */
  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }
}
