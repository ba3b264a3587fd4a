package dev.gantry.parse;

import dev.gantry.ast.Command;
import dev.gantry.ast.Device;
import dev.gantry.ast.Devices;
import dev.gantry.ast.Mount;
import dev.gantry.ast.Mounts;
import dev.gantry.ast.NetworkMode;
import dev.gantry.ast.Run;
import dev.gantry.ast.SecurityMode;
import dev.gantry.ast.SyntaxNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Converts RUN: the command and the {@code --mount --network --security --device} flags. */
final class RunInstruction {
  private RunInstruction() {}

  static Run run(SyntaxNode node) {
    BuilderFlags flags = new BuilderFlags(node.flags());
    BuilderFlags.Flag mount = flags.addStrings("mount");
    BuilderFlags.Flag network = flags.addString("network", "default");
    BuilderFlags.Flag security = flags.addString("security", "sandbox");
    BuilderFlags.Flag device = flags.addStrings("device");
    SimpleInstructions.parse(flags);
    Command command = Command.of(node.args(), node.json(), node.heredocs());
    List<Mount> mounts = new ArrayList<>();
    for (String value : mount.values()) {
      try {
        mounts.add(Mounts.parse(value, true));
      } catch (IllegalArgumentException e) {
        throw new ConversionError(e.getMessage(),
            "a mount is type=bind|cache|tmpfs|secret|ssh followed by key=value options, e.g. type=cache,target=/root/.cache");
      }
    }
    NetworkMode net = NetworkMode.named(network.value()).orElseThrow(() -> new ConversionError(
        "invalid network mode \"" + network.value() + "\"", "use one of default, none, host"));
    SecurityMode sec = switch (security.value()) {
      case "sandbox", "insecure" -> SecurityMode.valueOf(security.value().toUpperCase(Locale.ROOT));
      default -> throw new ConversionError("security \"" + security.value() + "\" is not valid",
          "use sandbox or insecure");
    };
    List<Device> devices = new ArrayList<>();
    for (String value : device.values()) {
      try {
        devices.add(Devices.parse(value));
      } catch (IllegalArgumentException e) {
        throw new ConversionError(e.getMessage());
      }
    }
    return new Run(node, command, mounts, net, sec, devices, flags.used());
  }
}
