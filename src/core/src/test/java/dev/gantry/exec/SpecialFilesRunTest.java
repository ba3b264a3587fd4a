package dev.gantry.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.layer.EntryType;
import dev.gantry.layer.LayerEntry;
import dev.gantry.layer.TarLayerWriter;
import dev.gantry.oci.Compression;
import dev.gantry.oci.Descriptor;
import dev.gantry.oci.Digest;
import dev.gantry.oci.MediaType;
import dev.gantry.store.StoredBlob;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A RUN that makes a FIFO and a device yields a layer holding them, and the next RUN over that
 * layer finds them (nothing opens them on the way: a FIFO would block the build forever); a layer
 * that whites out {@code /etc} and writes {@code /etc/new} shows a fresh {@code /etc} with only
 * {@code new} (beside the files the runtime mounts there). With the overlay snapshotter and with the copying one.
 */
class SpecialFilesRunTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"overlay", "copy"})
  @Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void fifosAndDevicesSurviveFromOneRunToTheNext(String snapshotter) throws IOException {
    ExecFixture fx = new ExecFixture(tmp);
    RootfsCache cache = new RootfsCache(fx.store);
    Runc runc = Runc.create(tmp.resolve("runc"));
    RunExecutor ex = snapshotter.equals("copy") ? RunExecutor.copying(cache, runc) : new RunExecutor(cache, runc);
    List<Descriptor> layers = new ArrayList<>(List.of(fx.layer));
    List<Digest> diffIds = new ArrayList<>(List.of(fx.diffId));

    RunExecutor.Result first = run(ex, layers, diffIds,
        "mkfifo -m 640 /fifo && chown 5:6 /fifo && mknod -m 606 /null c 1 3 && mknod /loop9 b 7 9");
    assertThat(first.exit().code()).isZero();
    Map<String, LayerEntry> made = first.entries().stream().collect(Collectors.toMap(LayerEntry::tarName, e -> e));
    assertThat(made.get("fifo").type()).isEqualTo(EntryType.FIFO);
    assertThat(made.get("fifo").mode()).isEqualTo(0640);
    assertThat(made.get("fifo").uid()).isEqualTo(5);
    assertThat(made.get("null").type()).isEqualTo(EntryType.CHAR_DEVICE);
    assertThat(made.get("loop9").type()).isEqualTo(EntryType.BLOCK_DEVICE);
    add(fx, layers, diffIds, first.entries());
    add(fx, layers, diffIds, List.of(LayerEntry.whiteout("etc"), LayerEntry.directory("etc"),
        LayerEntry.file("etc/new", "n".getBytes(StandardCharsets.UTF_8))));

    RunExecutor.Result second = run(ex, layers, diffIds,
        "test -p /fifo && test -c /null && test -b /loop9 && stat -c '%a %u:%g' /fifo /null"
            + " && ls /etc | grep -v -x -e hosts -e resolv.conf");
    assertThat(second.exit().code()).as(String.join("\n", second.exit().tail())).isZero();
    assertThat(out).containsExactly("640 5:6", "606 0:0", "new");
  }

  private final List<String> out = Collections.synchronizedList(new ArrayList<>());

  private RunExecutor.Result run(RunExecutor ex, List<Descriptor> layers, List<Digest> diffIds, String script)
      throws IOException {
    out.clear();
    RunExecutor.Request req = new RunExecutor.Request(List.of("/bin/sh", "-c", script), List.of(), "", "/",
        ContainerProcess.Network.NONE, Map.of());
    return ex.run(layers, diffIds, req, Files.createTempDirectory(tmp, "run"), out::add);
  }

  private static void add(ExecFixture fx, List<Descriptor> layers, List<Digest> diffIds, List<LayerEntry> entries)
      throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    TarLayerWriter.create().withCompression(Compression.NONE).write(entries, b);
    StoredBlob blob = fx.store.putBlob(b.toByteArray());
    layers.add(Descriptor.of(MediaType.OCI_LAYER_TAR, blob.digest(), blob.size()));
    diffIds.add(blob.digest());
  }
}
