package dev.gantry.ast;

import java.util.Objects;

/**
 * A CDI device requested by {@code RUN --device=name[,required]}.
 *
 * <p>This class is immutable and thread-safe.
 *
 * @param name the device name, e.g. {@code vendor.com/gpu=0}
 * @param required true when the build must fail if the device is unavailable
 */
public record Device(String name, boolean required) {
  public Device {
    Objects.requireNonNull(name, "name");
  }
}
