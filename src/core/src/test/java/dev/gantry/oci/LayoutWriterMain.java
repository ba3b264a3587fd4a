package dev.gantry.oci;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A process writing one image into an OCI layout, started by {@link OciLayoutConcurrencyTest}:
 * {@code LAYOUT GO_FILE TAG} prints "ready", waits for GO_FILE, then writes an image tagged TAG.
 */
public final class LayoutWriterMain {
  private LayoutWriterMain() {}

  public static void main(String[] args) throws Exception {
    System.out.println("ready");
    System.out.flush();
    Path go = Path.of(args[1]);
    while (!Files.exists(go)) {
      Thread.sleep(2);
    }
    OciLayoutWriter.at(Path.of(args[0])).write(OciLayoutConcurrencyTest.image(args[2]), List.of(args[2]));
  }
}
