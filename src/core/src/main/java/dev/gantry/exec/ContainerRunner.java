package dev.gantry.exec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Runs one RUN process on a prepared root filesystem: {@link Runc}, or {@link ChrootRunner} without namespaces. */
public interface ContainerRunner {
  /**
   * Runs {@code p} on {@code rootfs} and returns its exit; {@code output} gets every line of stdout
   * and stderr as it comes.
   *
   * @throws java.io.InterruptedIOException when the calling thread is interrupted (the process is killed)
   */
  Runc.Exit run(ContainerProcess p, Path rootfs, Consumer<String> output) throws IOException;

  /**
   * True when the runner mounts its own {@code /proc}, {@code /dev} and {@code /sys} over the root,
   * so what a command writes there never reaches the root filesystem.
   */
  default boolean mountsKernelFilesystems() {
    return true;
  }
}
