package dev.gantry.context;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The ignore file that applies to a build, and the patterns read from it as BuildKit reads them.
 *
 * <p>Lookup: {@code <Dockerfile path>.dockerignore} (for example {@code build/app.Dockerfile.dockerignore})
 * is used when it exists and is not empty; otherwise {@code .dockerignore} at the root of the
 * context; otherwise no patterns. Only one file is ever read. An empty Dockerfile-specific file
 * falls back to the context's file, as in BuildKit, where an empty file reads as no file.
 *
 * <p>Reading: a UTF-8 byte-order mark is removed; a line whose first character is {@code #} is a
 * comment (only in column 0); every other line is trimmed and skipped when blank; a leading
 * {@code !} marks an exception and is followed by optional white space; the path is cleaned (Go
 * {@code filepath.Clean}) and a leading {@code /} removed. A lone {@code !} is kept here and
 * refused when the matcher is built.
 *
 * <p>This class is immutable and thread-safe.
 */
public final class IgnoreFile {
  /** The name of the context's ignore file. */
  public static final String NAME = ".dockerignore";

  private static final int MAX_LINE_BYTES = 64 * 1024;
  private static final IgnoreFile NONE = new IgnoreFile(null, List.of());

  private final Path path;
  private final List<String> patterns;

  private IgnoreFile(Path path, List<String> patterns) {
    this.path = path;
    this.patterns = List.copyOf(patterns);
  }

  /** No ignore file: no patterns. */
  public static IgnoreFile none() {
    return NONE;
  }

  /**
   * Finds and reads the ignore file for a build of {@code contextDir} with {@code dockerfile}
   * (null when the Dockerfile does not come from disk).
   */
  public static IgnoreFile load(Path contextDir, Path dockerfile) throws IOException {
    Objects.requireNonNull(contextDir, "contextDir");
    if (dockerfile != null) {
      Path specific = dockerfile.resolveSibling(dockerfile.getFileName() + NAME);
      Optional<IgnoreFile> found = readIfPresent(specific);
      if (found.isPresent()) {
        return found.get();
      }
    }
    return readIfPresent(contextDir.resolve(NAME)).orElse(NONE);
  }

  /** Reads {@code file} when it is a non-empty regular file. */
  private static Optional<IgnoreFile> readIfPresent(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length == 0) {
      return Optional.empty();
    }
    return Optional.of(new IgnoreFile(file, parse(bytes, file.getFileName().toString())));
  }

  /** An ignore file from its text, read from nowhere in particular. */
  public static IgnoreFile of(String text) {
    return new IgnoreFile(null, parse(text));
  }

  /** The patterns of an ignore file's text, in order (see the class comment for the rules). */
  public static List<String> parse(String text) {
    return parse(text.getBytes(StandardCharsets.UTF_8), NAME);
  }

  /** The patterns of an ignore file's bytes; {@code name} is used in errors. */
  public static List<String> parse(byte[] bytes, String name) {
    List<String> out = new ArrayList<>();
    int start = 0;
    if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
        && (bytes[2] & 0xFF) == 0xBF) {
      start = 3;
    }
    while (start < bytes.length) {
      int end = start;
      while (end < bytes.length && bytes[end] != '\n') {
        end++;
      }
      int lineEnd = end > start && bytes[end - 1] == '\r' ? end - 1 : end;
      if (end - start >= MAX_LINE_BYTES) {
        throw new IgnorePatternException(name, "line too long in ignore file");
      }
      String line = new String(bytes, start, lineEnd - start, StandardCharsets.UTF_8);
      start = end + 1;
      String pattern = patternOf(line);
      if (pattern != null) {
        out.add(pattern);
      }
    }
    return out;
  }

  /** The pattern a line stands for, or null for a comment or blank line. */
  private static String patternOf(String line) {
    if (line.startsWith("#")) {
      return null;
    }
    String pattern = GoPaths.trimSpace(line);
    if (pattern.isEmpty()) {
      return null;
    }
    boolean invert = pattern.charAt(0) == '!';
    if (invert) {
      pattern = GoPaths.trimSpace(pattern.substring(1));
    }
    if (!pattern.isEmpty()) {
      pattern = GoPaths.clean(pattern);
      if (pattern.length() > 1 && pattern.charAt(0) == '/') {
        pattern = pattern.substring(1);
      }
    }
    return invert ? "!" + pattern : pattern;
  }

  /** The file the patterns came from, if any. */
  public Optional<Path> path() {
    return Optional.ofNullable(path);
  }

  /** A short name for messages: the file name, or {@code .dockerignore} when there is no file. */
  public String displayName() {
    return path == null ? NAME : path.getFileName().toString();
  }

  /** The patterns in file order. */
  public List<String> patterns() {
    return patterns;
  }

  /**
   * The matcher for these patterns.
   *
   * @throws IgnorePatternException when a pattern is invalid; its message names this file
   */
  public IgnoreMatcher matcher() {
    try {
      return IgnoreMatcher.of(patterns);
    } catch (IgnorePatternException e) {
      throw new IgnorePatternException(e.pattern(), e.reason() + " in " + displayName());
    }
  }

  @Override
  public String toString() {
    return displayName() + patterns;
  }
}
