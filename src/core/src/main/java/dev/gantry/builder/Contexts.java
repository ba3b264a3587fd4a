package dev.gantry.builder;

import dev.gantry.context.BuildContext;
import dev.gantry.context.IgnoreMatcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The build's directory contexts: the main context (with its .dockerignore) and the named ones
 * given with {@code --build-context NAME=DIR}, each walked once per build.
 */
final class Contexts {
  private final Path mainDir;
  private final Path dockerfile;
  private final Map<String, Path> named;
  private final Map<String, BuildContext> opened = new ConcurrentHashMap<>();

  Contexts(Path mainDir, Path dockerfile, Map<String, Path> named) {
    this.mainDir = mainDir;
    this.dockerfile = dockerfile;
    this.named = Map.copyOf(named);
  }

  /** The main build context. */
  BuildContext main() throws IOException {
    return open("", () -> BuildContext.open(mainDir, dockerfile));
  }

  /** True when {@code name} is a named directory context. */
  boolean isDirectory(String name) {
    return named.containsKey(name);
  }

  /** The named directory context {@code name}. */
  BuildContext directory(String name) throws IOException {
    Path dir = named.get(name);
    if (dir == null) {
      throw new IOException("no build context named " + name);
    }
    return open(name, () -> BuildContext.open(dir, IgnoreMatcher.none()));
  }

  private interface Opener {
    BuildContext open() throws IOException;
  }

  private BuildContext open(String key, Opener opener) throws IOException {
    try {
      return opened.computeIfAbsent(key, k -> {
        try {
          return opener.open();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
