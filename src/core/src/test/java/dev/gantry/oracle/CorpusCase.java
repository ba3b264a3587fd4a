package dev.gantry.oracle;

import dev.gantry.api.BuildRequest;
import dev.gantry.api.Gantry;
import dev.gantry.model.BuildException;
import dev.gantry.model.Output;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One case of a build corpus ({@code testdata/build/NAME}): copies the folder to a scratch context,
 * runs its {@code setup.sh} there, and reads {@code build.args} (build args and {@code target=}).
 */
public record CorpusCase(String name, Path context, Map<String, String> buildArgs, String target) {

  /** Prepares {@code source} in {@code work}, giving setup.sh {@code rootfs} as $GANTRY_TEST_ROOTFS. */
  /** Builds the case with Gantry into the OCI layout {@code out} (its store under {@code work}); returns {@code out}. */
  public Path buildWithGantry(Path work, Path out) throws BuildException {
    BuildRequest.Builder req = BuildRequest.builder(context).output(new Output.OciLayout(out))
        .storeDirectory(work.resolve("store"));
    buildArgs.forEach(req::buildArg);
    if (target != null) {
      req.target(target);
    }
    new Gantry().build(req.build());
    return out;
  }

  public static CorpusCase prepare(Path source, Path work, Path rootfs) throws IOException, InterruptedException {
    Path ctx = work.resolve("context");
    copyTree(source, ctx);
    Path setup = ctx.resolve("setup.sh");
    if (Files.exists(setup)) {
      ProcessBuilder pb = new ProcessBuilder("sh", "setup.sh").directory(ctx.toFile()).redirectErrorStream(true);
      pb.environment().put("GANTRY_TEST_ROOTFS", rootfs.toString());
      pb.redirectOutput(work.resolve("setup.log").toFile());
      Process p = pb.start();
      if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IOException("setup.sh of " + source.getFileName() + " failed: "
            + Files.readString(work.resolve("setup.log")));
      }
      Files.delete(setup);
    }
    Map<String, String> args = new LinkedHashMap<>();
    String target = null;
    Path argsFile = ctx.resolve("build.args");
    if (Files.exists(argsFile)) {
      for (String line : Files.readAllLines(argsFile, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        int eq = line.indexOf('=');
        if (line.startsWith("target=")) {
          target = line.substring(7).trim();
        } else {
          args.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
      Files.delete(argsFile);
    }
    return new CorpusCase(source.getFileName().toString(), ctx, args, target);
  }

  /** The case folders under {@code corpus}, sorted. */
  public static List<Path> list(Path corpus) throws IOException {
    try (Stream<Path> s = Files.list(corpus)) {
      return s.filter(Files::isDirectory).filter(p -> Files.exists(p.resolve("Dockerfile"))).sorted().toList();
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isSymbolicLink(p)) {
          Files.createDirectories(t.getParent());
          Files.createSymbolicLink(t, Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.createDirectories(t.getParent());
          Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }
}
