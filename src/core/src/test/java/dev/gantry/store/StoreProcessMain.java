package dev.gantry.store;

import dev.gantry.oci.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A second process working on a store, started by {@link StoreConcurrencyTest}.
 *
 * <pre>
 * write ROOT GO_FILE NAME COUNT   print "ready", wait for GO_FILE, then store COUNT shared blobs,
 *                                 COUNT blobs of its own, a record and a tag, and increment the
 *                                 counter file under a store lock COUNT times; print a summary
 * abandon ROOT                    start a blob, write to it, and die without committing
 * abandoned ROOT                  print the name of each work directory whose build died, then release them
 * lease ROOT                      take a build lease, print "leased", and hold it until killed
 * </pre>
 */
public final class StoreProcessMain {
  private StoreProcessMain() {}

  public static void main(String[] args) throws Exception {
    Store store = Store.open(Path.of(args[1]));
    switch (args[0]) {
      case "write" -> write(store, Path.of(args[2]), args[3], Integer.parseInt(args[4]));
      case "abandon" -> abandon(store);
      case "abandoned" -> {
        for (WorkDirectory w : WorkDirectory.abandoned(store)) {
          System.out.println(w.path().getFileName());
          w.close();
        }
      }
      case "lease" -> lease(store);
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  static byte[] shared(int i) {
    return ("shared blob " + i + " " + "x".repeat(i * 97)).getBytes(StandardCharsets.UTF_8);
  }

  private static void write(Store store, Path go, String name, int count) throws Exception {
    System.out.println("ready");
    System.out.flush();
    while (!Files.exists(go)) {
      Thread.sleep(5);
    }
    int sharedCreated = 0;
    for (int i = 0; i < count; i++) {
      if (store.putBlob(shared(i)).created()) {
        sharedCreated++;
      }
      store.putBlob((name + " own blob " + i).getBytes(StandardCharsets.UTF_8));
      store.withLock("counter", () -> StoreConcurrencyTest.incrementCounter(store.root()));
    }
    StoredBlob manifest = store.putBlob(("{\"by\":\"" + name + "\"}")
        .getBytes(StandardCharsets.UTF_8));
    store.tag(name, manifest.digest());
    store.record(Digest.sha256("key " + name), CacheRecord.ofLayer("key " + name,
        new CachedLayer(manifest.digest(), manifest.digest(), manifest.size(), "text/plain")));
    System.out.println("shared-created=" + sharedCreated);
  }

  private static void lease(Store store) throws Exception {
    try (Lease lease = store.lease()) {
      System.out.println("leased");
      System.out.flush();
      Thread.sleep(120_000);
    }
  }

  private static void abandon(Store store) throws IOException {
    BlobWriter writer = store.newBlobWriter();
    writer.write(new byte[1 << 20]);
    writer.flush();
    System.out.println("written");
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }
}
