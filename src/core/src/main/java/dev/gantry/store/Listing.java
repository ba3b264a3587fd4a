package dev.gantry.store;

import dev.gantry.oci.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Directory listings and small file helpers of the store layout. */
final class Listing {
  private static final Pattern HEX = Pattern.compile("[a-f0-9]{64}");

  private Listing() {}

  /** Every blob, sorted by digest; ignores files that are not named by a sha256 hex. */
  static List<Digest> blobs(StoreLayout layout) throws IOException {
    return digests(layout.blobs(), "");
  }

  /** Every cache key with a record, sorted. */
  static List<Digest> records(StoreLayout layout) throws IOException {
    return digests(layout.records(), ".json");
  }

  /** Every blob with a note of where it can be fetched from, sorted. */
  static List<Digest> sources(StoreLayout layout) throws IOException {
    return digests(layout.sources(), "");
  }

  private static List<Digest> digests(Path dir, String suffix) throws IOException {
    List<Digest> out = new ArrayList<>();
    for (Path p : list(dir)) {
      String name = p.getFileName().toString();
      if (name.endsWith(suffix)) {
        String hex = name.substring(0, name.length() - suffix.length());
        if (HEX.matcher(hex).matches()) {
          out.add(new Digest("sha256", hex));
        }
      }
    }
    Collections.sort(out);
    return out;
  }

  /** The entries of {@code dir}, or none if it does not exist. */
  static List<Path> list(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      entries.forEach(out::add);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    return out;
  }

  /** Reads a tag file: its name and digest, or empty when absent or unreadable. */
  static Optional<Map.Entry<String, Digest>> readTag(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    String[] lines = text.split("\n", -1);
    if (lines.length < 2) {
      return Optional.empty();
    }
    try {
      return Optional.of(new AbstractMap.SimpleImmutableEntry<>(lines[1], Digest.parse(lines[0])));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  static SortedMap<String, Digest> tags(StoreLayout layout) throws IOException {
    SortedMap<String, Digest> out = new TreeMap<>();
    for (Path p : list(layout.tags())) {
      readTag(p).ifPresent(e -> out.put(e.getKey(), e.getValue()));
    }
    return Collections.unmodifiableSortedMap(out);
  }

  static StoreUsage usage(StoreLayout layout) throws IOException {
    long blobs = 0;
    long blobBytes = 0;
    for (Digest d : blobs(layout)) {
      try {
        blobBytes += Files.size(layout.blob(d));
        blobs++;
      } catch (NoSuchFileException e) {
        // removed meanwhile
      }
    }
    long records = 0;
    long recordBytes = 0;
    for (Digest d : records(layout)) {
      try {
        recordBytes += Files.size(layout.record(d));
        records++;
      } catch (NoSuchFileException e) {
        // removed meanwhile
      }
    }
    return new StoreUsage(blobs, blobBytes, records, recordBytes, tags(layout).size());
  }

  /** The names of the subdirectories of {@code dir} that are sha256 hex strings, sorted. */
  static List<String> hexDirectories(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    for (Path p : list(dir)) {
      String name = p.getFileName().toString();
      if (HEX.matcher(name).matches() && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        out.add(name);
      }
    }
    Collections.sort(out);
    return out;
  }

  /**
   * The apparent size of the regular files and symbolic links below {@code root}, skipping the
   * directories in {@code skip} and inodes already in {@code seen}; files that vanish meanwhile
   * count as nothing.
   */
  static long treeSize(Path root, Set<Path> skip, Set<Object> seen) throws IOException {
    long[] total = {0};
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
        return skip.contains(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        Object key = attrs.fileKey();
        if ((attrs.isRegularFile() || attrs.isSymbolicLink()) && (key == null || seen.add(key))) {
          total[0] += attrs.size();
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) {
        return FileVisitResult.CONTINUE;
      }
    });
    return total[0];
  }

  /** Makes a file read-only for everyone (best effort on non-POSIX file systems). */
  static void makeReadOnly(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, EnumSet.of(PosixFilePermission.OWNER_READ,
          PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ));
    } catch (UnsupportedOperationException e) {
      file.toFile().setReadOnly();
    }
  }
}
