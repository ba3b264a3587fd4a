package dev.gantry.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A running build's claim on a store, from {@link Store#lease()} until {@link #close()}: a file
 * {@code leases/ID} holding the build's start time, locked for as long as the build runs. Garbage
 * collection keeps everything used since the oldest live lease started and removes no directory
 * (unpacked layers, cache mounts) while any lease is live. A lease whose process died is stale:
 * nobody holds its lock, and the next collection deletes it.
 */
public final class Lease implements AutoCloseable {
  /** Lease files this JVM holds: never opened by a collector here (closing would drop the lock). */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private final Path file;
  private final FileChannel channel;
  private final Instant start;

  private Lease(Path file, FileChannel channel, Instant start) {
    this.file = file;
    this.channel = channel;
    this.start = start;
  }

  /** Registers a lease started at {@code start}, under the lease lock. */
  static Lease acquire(StoreLayout layout, Instant start) throws IOException {
    return FileLocks.with(layout.leaseLock(), () -> {
      Path file;
      FileChannel ch;
      while (true) {
        file = layout.leases().resolve(AtomicFiles.randomName()); // unique by CREATE_NEW
        try {
          ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
              StandardOpenOption.WRITE);
          break;
        } catch (FileAlreadyExistsException e) {
          // taken: draw again
        }
      }
      try {
        ch.lock();
        ch.write(ByteBuffer.wrap(Long.toString(start.toEpochMilli()).getBytes(StandardCharsets.US_ASCII)));
      } catch (IOException | RuntimeException e) {
        ch.close();
        Files.deleteIfExists(file);
        throw e;
      }
      HELD.add(file);
      return new Lease(file, ch, start);
    });
  }

  /** When the build holding this lease started. */
  public Instant start() {
    return start;
  }

  /** Ends the lease: its file is removed and its lock released. */
  @Override
  public void close() throws IOException {
    if (!HELD.remove(file)) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } finally {
      channel.close();
    }
  }

  /**
   * The start times of the live leases of a store; deletes stale ones. The caller holds the lease
   * lock, so no lease appears meanwhile.
   */
  static List<Instant> live(StoreLayout layout) throws IOException {
    List<Instant> out = new ArrayList<>();
    for (Path p : Listing.list(layout.leases())) {
      Instant start = startOf(p);
      if (start == null) {
        continue;
      }
      if (HELD.contains(p)) {
        out.add(start);
        continue;
      }
      try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        FileLock lock;
        try {
          lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
          lock = null;
        }
        if (lock == null) {
          out.add(start); // held by another process
        } else {
          Files.deleteIfExists(p);
        }
      } catch (NoSuchFileException e) {
        // ended meanwhile
      }
    }
    return out;
  }

  private static Instant startOf(Path p) throws IOException {
    try {
      String text = Files.readString(p, StandardCharsets.US_ASCII).trim();
      return Instant.ofEpochMilli(Long.parseLong(text));
    } catch (NoSuchFileException e) {
      return null; // ended meanwhile
    } catch (NumberFormatException e) {
      return Instant.EPOCH; // unreadable: keep everything
    }
  }
}
