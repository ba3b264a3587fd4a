package dev.gantry.api;

import dev.gantry.oci.Digest;
import dev.gantry.store.Store;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Small helpers shared by the engine acceptance tests: context files, store contents, child builds. */
final class EngineFixtures {
  private EngineFixtures() {}

  /** Writes {@code text} to {@code dir/rel} (parents created) with permissions {@code perms} such as rw-r--r--. */
  static Path write(Path dir, String rel, String text, String perms) throws IOException {
    return write(dir, rel, text.getBytes(StandardCharsets.UTF_8), perms);
  }

  static Path write(Path dir, String rel, byte[] bytes, String perms) throws IOException {
    Path file = dir.resolve(rel);
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(perms));
    return file;
  }

  /** Sets the modification time of {@code file} (not following links). */
  static void touch(Path file, Instant when) throws IOException {
    Files.setLastModifiedTime(file, FileTime.from(when));
  }

  /** {@code n} bytes of deterministic, poorly compressible data derived from {@code seed}. */
  static byte[] noise(int n, long seed) {
    byte[] out = new byte[n];
    long x = seed * 0x9E3779B97F4A7C15L + 1;
    for (int i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      out[i] = (byte) x;
    }
    return out;
  }

  /** What a store holds: every blob and cache record with its size, for before/after comparisons. */
  static Map<String, Long> contents(Path storeDir) throws IOException {
    Store store = Store.open(storeDir);
    Map<String, Long> all = new TreeMap<>();
    for (Digest d : store.blobs()) {
      all.put("blob " + d, store.size(d));
    }
    for (Digest k : store.cacheKeys()) {
      all.put("record " + k, (long) store.preimage(k).orElse("").length());
    }
    return all;
  }

  /** The command line that runs {@link BuildMain} in a new JVM with this test's class path. */
  static List<String> childJvm(List<String> jvmOptions, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(BuildMain.class.getName());
    command.addAll(args);
    return command;
  }

  /** Waits for a child build and returns the manifest digest it printed; fails with its output otherwise. */
  static Digest awaitDigest(Process p) throws IOException, InterruptedException {
    return awaitDigest(p, new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
  }

  /** Like {@link #awaitDigest(Process)}, reading the rest of the child's output from {@code stdout}. */
  static Digest awaitDigest(Process p, BufferedReader stdout) throws IOException, InterruptedException {
    StringBuilder sb = new StringBuilder();
    for (String line; (line = stdout.readLine()) != null; ) {
      sb.append(line).append('\n');
    }
    String out = sb.toString();
    int rc = p.waitFor();
    if (rc != 0) {
      throw new AssertionError("child build exited with " + rc + ":\n" + out);
    }
    for (String line : out.split("\n")) {
      if (line.startsWith("manifest=")) {
        return Digest.parse(line.substring("manifest=".length()).trim());
      }
    }
    throw new AssertionError("child build printed no digest:\n" + out);
  }
}
