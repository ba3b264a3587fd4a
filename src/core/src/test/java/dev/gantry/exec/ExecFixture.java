package dev.gantry.exec;


import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.oci.MediaType;
import dev.gantry.oracle.BusyboxRootfs;
import dev.gantry.oracle.Tools;
import dev.gantry.store.Store;
import dev.gantry.store.StoredBlob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A store holding the busybox test rootfs as one uncompressed layer, for exec tests (skips where RUN cannot run). */
final class ExecFixture {
  final Store store;
  final Descriptor layer;
  final Digest diffId;

  ExecFixture(Path dir) throws IOException {
    Tools.requireContainers();
    store = Store.open(dir.resolve("store"));
    Path tar = BusyboxRootfs.write(dir.resolve("rootfs.tar"));
    StoredBlob b = store.putBlob(Files.readAllBytes(tar));
    layer = Descriptor.of(MediaType.OCI_LAYER_TAR, b.digest(), b.size());
    diffId = b.digest();
  }
}
