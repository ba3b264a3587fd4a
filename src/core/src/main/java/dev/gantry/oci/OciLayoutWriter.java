package dev.gantry.oci;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Writes images into an OCI image layout directory ({@code oci-layout}, {@code index.json},
 * {@code blobs/sha256/...}).
 *
 * <p>Blobs are written to a temporary file, verified against their descriptor, synced and renamed
 * into place; a blob that already exists with the right content is not rewritten (only its
 * modification time is renewed, see {@link #pruneUnreferenced}). Writing the same image again leaves
 * the directory's bytes identical. In {@code index.json} each tag gets its own
 * manifest descriptor annotated {@value #REF_NAME}; an earlier entry with the same tag is replaced.
 *
 * <p>Concurrent writers of one directory (threads or processes) are safe: {@code index.json} is
 * read, merged and replaced while holding a lock on the file {@value #LOCK_FILE} in the layout
 * (an OS file lock between processes, a monitor between threads of this JVM), so no writer's tags
 * are lost.
 */
public final class OciLayoutWriter {
  /** The annotation naming a manifest in an OCI layout's index. */
  public static final String REF_NAME = "org.opencontainers.image.ref.name";
  static final byte[] LAYOUT_FILE =
      "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);

  /** The file in a layout that writers lock while they update {@code index.json}. */
  public static final String LOCK_FILE = ".index.json.lock";
  /** One monitor per layout directory: a JVM cannot hold two OS locks on one file. */
  private static final ConcurrentHashMap<Path, Object> LOCAL_LOCKS = new ConcurrentHashMap<>();

  private final Path dir;

  private OciLayoutWriter(Path dir) {
    this.dir = dir;
  }

  /** A writer for the layout at {@code dir} (created when missing). */
  public static OciLayoutWriter at(Path dir) {
    return new OciLayoutWriter(dir.toAbsolutePath());
  }

  /**
   * Writes every blob of {@code image} and records its manifest under each of {@code tags} (or
   * untagged when there are none); returns the manifest descriptor.
   */
  public Descriptor write(Image image, Collection<String> tags) throws IOException {
    for (Blob b : image.blobs()) {
      writeBlob(b);
    }
    Descriptor manifest = image.manifest().descriptor();
    locked(() -> {
      writeIndex(manifest, tags);
      return null;
    });
    return manifest;
  }

  /** What {@link #pruneUnreferenced} removed. */
  public record Pruned(int blobs, long bytes) {}

  /**
   * Deletes the blobs that nothing in {@code index.json} reaches (through indexes, manifests, their
   * configs, layers and subjects) and that were last written or reused more than {@code grace} ago,
   * so that a writer between its blobs and its index update keeps them. Holds the index lock; when
   * a reachable blob cannot be read, nothing is deleted.
   */
  public Pruned pruneUnreferenced(Duration grace) throws IOException {
    return locked(() -> {
      Set<Digest> reachable = new HashSet<>();
      try {
        for (Descriptor d : readIndexOrEmpty().manifests()) {
          reach(d, reachable);
        }
      } catch (IOException | RuntimeException e) {
        return new Pruned(0, 0);
      }
      Path sha256 = dir.resolve("blobs").resolve("sha256");
      if (!Files.isDirectory(sha256)) {
        return new Pruned(0, 0);
      }
      FileTime before = FileTime.from(Instant.now().minus(grace));
      int count = 0;
      long bytes = 0;
      try (Stream<Path> files = Files.list(sha256)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          String name = f.getFileName().toString();
          if (!Digest.isSha256Hex(name) || reachable.contains(new Digest("sha256", name))) {
            continue;
          }
          BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
          if (a.isRegularFile() && a.lastModifiedTime().compareTo(before) < 0) {
            Files.delete(f);
            count++;
            bytes += a.size();
          }
        }
      }
      return new Pruned(count, bytes);
    });
  }

  /** Adds {@code d} and every blob it reaches to {@code reachable}. */
  private void reach(Descriptor d, Set<Digest> reachable) throws IOException {
    if (!reachable.add(d.digest())) {
      return;
    }
    if (MediaType.isIndex(d.mediaType())) {
      for (Descriptor m : Json.readIndex(Files.readAllBytes(blobPath(dir, d.digest()))).manifests()) {
        reach(m, reachable);
      }
    } else if (MediaType.isManifest(d.mediaType())) {
      Manifest m = Json.readManifest(Files.readAllBytes(blobPath(dir, d.digest())));
      reachable.add(m.config().digest());
      m.layers().forEach(l -> reachable.add(l.digest()));
      if (m.subject() != null) {
        reachable.add(m.subject().digest());
      }
    }
  }

  /** Runs {@code action} holding the index lock: a monitor within this JVM, an OS file lock between processes. */
  private <T> T locked(IoAction<T> action) throws IOException {
    Files.createDirectories(dir);
    synchronized (LOCAL_LOCKS.computeIfAbsent(dir, d -> new Object())) {
      try (FileChannel lock = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
          FileLock held = lock.lock()) {
        return action.run();
      }
    }
  }

  @FunctionalInterface
  private interface IoAction<T> {
    T run() throws IOException;
  }

  /** Merges {@code manifest} under {@code tags} into {@code index.json}; the caller holds the lock. */
  private void writeIndex(Descriptor manifest, Collection<String> tags) throws IOException {
    Index index = readIndexOrEmpty();
    List<Descriptor> kept = new ArrayList<>();
    Set<String> tagSet = Set.copyOf(tags);
    for (Descriptor d : index.manifests()) {
      String ref = d.annotations().get(REF_NAME);
      boolean replaced = ref != null ? tagSet.contains(ref)
          : tags.isEmpty() && d.digest().equals(manifest.digest());
      if (!replaced) {
        kept.add(d);
      }
    }
    if (tags.isEmpty()) {
      kept.add(manifest);
    }
    for (String tag : tags.stream().distinct().toList()) {
      kept.add(manifest.withAnnotation(REF_NAME, tag));
    }
    writeAtomically(dir.resolve("oci-layout"), LAYOUT_FILE);
    writeAtomically(dir.resolve("index.json"), index.withManifests(kept).toJson());
  }

  /** Writes one blob (idempotent); returns its path. */
  public Path writeBlob(Blob blob) throws IOException {
    Descriptor d = blob.descriptor();
    Path target = blobPath(dir, d.digest());
    if (Files.isRegularFile(target) && Files.size(target) == d.size() && matches(target, d)) {
      // reused: marked recent, so that a prune between this write and the index update keeps it
      Files.setLastModifiedTime(target, FileTime.from(Instant.now()));
      return target;
    }
    Path tmp = OutputFiles.newTemp(target.getParent(), "blob");
    try {
      try (InputStream in = VerifyingInputStream.of(blob.open(), d);
          OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.TRUNCATE_EXISTING)) {
        in.transferTo(out);
      }
      OutputFiles.commit(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return target;
  }

  /** Where a blob with {@code digest} lives in the layout at {@code dir}. */
  public static Path blobPath(Path dir, Digest digest) {
    return dir.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
  }

  private Index readIndexOrEmpty() throws IOException {
    Path p = dir.resolve("index.json");
    if (!Files.isRegularFile(p)) {
      return Index.oci(List.of());
    }
    Index i = Json.readIndex(Files.readAllBytes(p));
    return i.mediaType().isEmpty()
        ? new Index(2, MediaType.OCI_INDEX, "", i.manifests(), null, i.annotations()) : i;
  }

  private static boolean matches(Path file, Descriptor d) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return Digest.sha256(in).equals(d.digest());
    }
  }

  static void writeAtomically(Path target, byte[] bytes) throws IOException {
    Files.createDirectories(target.getParent());
    if (Files.isRegularFile(target) && java.util.Arrays.equals(Files.readAllBytes(target), bytes)) {
      return;
    }
    Path tmp = Files.createTempFile(target.getParent(), ".tmp-", ".json");
    try {
      readableByAll(tmp);
      Files.write(tmp, bytes);
      sync(tmp);
      move(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void readableByAll(Path p) throws IOException {
    if (p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
    }
  }

  private static void sync(Path p) throws IOException {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
