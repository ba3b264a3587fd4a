package dev.gantry.store;

import dev.gantry.oci.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The on-disk layout of version 1 of the store, below {@code root/v1}.
 *
 * <pre>
 * blobs/sha256/HEX          committed blobs (read-only files; mtime = last use)
 * records/sha256/HEX.json   cache records by cache key (mtime = last use)
 * indexes/sha256/HEX.idx    layer indexes by diffID (see LayerIndexCodec)
 * tags/NAME                 tag files holding a digest (names percent-encoded)
 * locks/NAME.lock           lock files of {@link Store#withLock} (never deleted)
 * locks/store/              the store's own locks: blob-XX.lock (striped by hex prefix), gc.lock
 * tmp/                      files being written; renamed into place when complete
 * quarantine/               corrupt blobs moved aside; emptied by gc
 * rootfs/HEX/               layer chains unpacked for RUN (written by the runtime code)
 * cache-mounts/HEX/         directories of RUN --mount=type=cache (written by the build code)
 * used/KIND/HEX             last use (mtime) of a rootfs chain or cache mount, kept apart from
 *                           the directory itself; a rootfs marker also holds its layer's digest
 * used/KIND/HEX.size        the directory's size as last measured
 * leases/ID                 one file per running build, locked while it runs, holding its start
 * sources/HEX               where a blob can be fetched, or mounted from on a push (a base image's or
 *                           an imported cache's layer, see {@link Store#source}); collected once
 *                           no tagged image or cache record names the blob
 * </pre>
 */
final class StoreLayout {
  static final String VERSION = "v1";
  private static final int MAX_NAME_BYTES = 180;

  private final Path base;

  StoreLayout(Path root) {
    this.base = root.resolve(VERSION);
  }

  Path base() {
    return base;
  }

  Path blobs() {
    return base.resolve("blobs").resolve("sha256");
  }

  Path records() {
    return base.resolve("records").resolve("sha256");
  }

  Path indexes() {
    return base.resolve("indexes").resolve("sha256");
  }

  Path tags() {
    return base.resolve("tags");
  }

  Path locks() {
    return base.resolve("locks");
  }

  Path tmp() {
    return base.resolve("tmp");
  }

  Path quarantine() {
    return base.resolve("quarantine");
  }

  Path rootfs() {
    return base.resolve(directoryName(DiskUsage.Kind.ROOTFS));
  }

  Path cacheMounts() {
    return base.resolve(directoryName(DiskUsage.Kind.CACHE_MOUNT));
  }

  /** The name of the directory below {@code v1} holding directories of {@code kind}. */
  static String directoryName(DiskUsage.Kind kind) {
    return switch (kind) {
      case ROOTFS -> "rootfs";
      case CACHE_MOUNT -> "cache-mounts";
      default -> throw new IllegalArgumentException(kind + " entries are files");
    };
  }

  /** The last-use markers of the directories of {@code kind} ({@code rootfs}, {@code cache-mounts}). */
  Path used(String kind) {
    return base.resolve("used").resolve(kind);
  }

  Path leases() {
    return base.resolve("leases");
  }

  Path sources() {
    return base.resolve("sources");
  }

  Path source(Digest digest) {
    return sources().resolve(digest.hex());
  }

  Path[] directories() {
    return new Path[] {blobs(), records(), indexes(), tags(), locks(), internalLocks(), tmp(),
        quarantine(), leases()};
  }

  Path blob(Digest digest) {
    return blobs().resolve(requireSha256(digest).hex());
  }

  Path record(Digest cacheKey) {
    return records().resolve(requireSha256(cacheKey).hex() + ".json");
  }

  Path index(Digest diffId) {
    return indexes().resolve(requireSha256(diffId).hex() + ".idx");
  }

  Path tag(String name) {
    return tags().resolve(encodeName(name));
  }

  Path lock(String name) {
    return locks().resolve(encodeName(name) + ".lock");
  }

  Path internalLocks() {
    return locks().resolve("store");
  }

  /** The stripe lock guarding every blob whose hex starts like {@code digest}'s. */
  Path blobLock(Digest digest) {
    return internalLocks().resolve("blob-" + digest.hex().substring(0, 2) + ".lock");
  }

  /** The lock held by garbage collection, so that only one collector runs at a time. */
  Path gcLock() {
    return internalLocks().resolve("gc.lock");
  }

  /**
   * The lock a build holds while it registers its lease, and that a collection holds while it
   * removes directories, so that no build starts using a directory being removed.
   */
  Path leaseLock() {
    return internalLocks().resolve("lease.lock");
  }

  static Digest requireSha256(Digest digest) {
    if (!digest.algorithm().equals("sha256")) {
      throw new IllegalArgumentException("the store keeps sha256 content only, not " + digest);
    }
    return digest;
  }

  /**
   * A file name for an arbitrary name: ASCII letters, digits, {@code _ -} and non-leading
   * {@code .} stay, every other UTF-8 byte becomes {@code %XX}. Over-long names are shortened to a
   * prefix plus their sha256, so distinct names stay distinct.
   */
  static String encodeName(String name) {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("a name must not be empty");
    }
    StringBuilder out = new StringBuilder();
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      boolean plain = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
          || b == '_' || b == '-' || (b == '.' && i > 0);
      if (plain) {
        out.append((char) b);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    if (out.length() > MAX_NAME_BYTES) {
      return out.substring(0, 100) + "~" + Digest.sha256(name).hex();
    }
    return out.toString();
  }
}
