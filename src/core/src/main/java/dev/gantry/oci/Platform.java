package dev.gantry.oci;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An image platform: operating system, architecture and optional variant, normalised as containerd
 * does ({@code x86_64} is {@code amd64}, {@code aarch64} is {@code arm64}, ...).
 *
 * <p>This class is immutable; {@code variant} and {@code osVersion} are empty strings when unset.
 */
public record Platform(String os, String architecture, String variant, String osVersion,
    List<String> osFeatures) {
  /** The operating systems images are made for (Go's {@code GOOS} values). */
  private static final List<String> KNOWN_OS = List.of("aix", "android", "darwin", "dragonfly", "freebsd",
      "illumos", "ios", "js", "linux", "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows", "zos");
  /** The architectures images are made for (Go's {@code GOARCH} values). */
  private static final List<String> KNOWN_ARCH = List.of("386", "amd64", "amd64p32", "arm", "arm64", "arm64be",
      "armbe", "loong64", "mips", "mips64", "mips64le", "mips64p32", "mips64p32le", "mipsle", "ppc", "ppc64",
      "ppc64le", "riscv", "riscv64", "s390", "s390x", "sparc", "sparc64", "wasm");

  public Platform {
    Objects.requireNonNull(os, "os");
    Objects.requireNonNull(architecture, "architecture");
    variant = variant == null ? "" : variant;
    osVersion = osVersion == null ? "" : osVersion;
    osFeatures = osFeatures == null ? List.of() : List.copyOf(osFeatures);
  }

  /** A normalised platform from its parts ({@code variant} may be null or empty). */
  public static Platform of(String os, String architecture, String variant) {
    String o = normaliseOs(os);
    String[] av = normaliseArch(architecture, variant == null ? "" : variant);
    return new Platform(o, av[0], av[1], "", List.of());
  }

  /**
   * Parses {@code os/arch[/variant]} (or a bare {@code arch}, taken as linux, or a bare {@code os},
   * taken with this machine's architecture), normalises it as containerd does and checks it names a
   * platform images are made for: a known operating system and architecture (Go's names, as OCI
   * uses them) and, for amd64, arm and arm64, a known variant.
   *
   * @throws IllegalArgumentException when {@code spec} is malformed, unknown, or names several
   *     platforms; the message starts with {@code spec} quoted, so callers can prefix the flag
   */
  public static Platform parse(String spec) {
    String quoted = "\"" + spec + "\"";
    if (spec.contains(",")) {
      throw new IllegalArgumentException(quoted + " names " + spec.split(",", -1).length + " platforms; an image is"
          + " built for one platform at a time (multi-platform builds are not supported yet): build once per platform");
    }
    String[] parts = spec.trim().split("/", -1);
    for (String p : parts) {
      if (!p.matches("[A-Za-z0-9_.-]+")) {
        throw new IllegalArgumentException(quoted + " is not os/arch[/variant]"
            + (p.isEmpty() ? ": a part is empty" : ": \"" + p + "\" has characters other than letters, digits, '_', '.' and '-'"));
      }
    }
    Platform platform;
    switch (parts.length) {
      case 1: {
        String s = parts[0].toLowerCase(Locale.ROOT);
        platform = KNOWN_OS.contains(normaliseOs(s))
            ? of(s, current().architecture(), current().variant()) : of("linux", s, "");
        break;
      }
      case 2:
        platform = of(parts[0], parts[1], "");
        break;
      case 3:
        platform = of(parts[0], parts[1], parts[2]);
        break;
      default:
        throw new IllegalArgumentException(quoted + " is not os/arch[/variant]: it has " + parts.length + " parts");
    }
    return platform.checked(quoted);
  }

  private Platform checked(String quoted) {
    if (!KNOWN_OS.contains(os)) {
      throw new IllegalArgumentException(quoted + " has an unknown operating system \"" + os + "\" (known: "
          + String.join(", ", KNOWN_OS) + ")");
    }
    if (!KNOWN_ARCH.contains(architecture)) {
      throw new IllegalArgumentException(quoted + " has an unknown architecture \"" + architecture + "\" (known: "
          + String.join(", ", KNOWN_ARCH) + ")");
    }
    String[] variants = switch (architecture) {
      case "amd64" -> new String[] {"v[234]", "v2, v3, v4"};
      case "arm" -> new String[] {"v[5-8]", "v5, v6, v7, v8"};
      case "arm64" -> new String[] {"v8\\.[1-9]|v9(\\.[1-9])?", "v8.1 to v8.9, v9, v9.1 to v9.9"};
      default -> null;
    };
    if (variants != null && !variant.isEmpty() && !variant.matches(variants[0])) {
      throw new IllegalArgumentException(quoted + " has an unknown " + architecture + " variant \"" + variant
          + "\" (known: " + variants[1] + ")");
    }
    return this;
  }

  /** The platform of this JVM (Linux, architecture from {@code os.arch}). */
  public static Platform current() {
    String os = System.getProperty("os.name", "linux").toLowerCase(Locale.ROOT);
    String o = os.startsWith("windows") ? "windows" : os.startsWith("mac") ? "darwin" : "linux";
    return of(o, System.getProperty("os.arch", "amd64"), "");
  }

  /** A copy with the given variant. */
  public Platform withVariant(String v) {
    return new Platform(os, architecture, v, osVersion, osFeatures);
  }

  /** {@code os/arch} or {@code os/arch/variant}. */
  @Override
  public String toString() {
    return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
  }

  private static String normaliseOs(String os) {
    String o = os.toLowerCase(Locale.ROOT);
    return o.equals("macos") ? "darwin" : o;
  }

  /** Returns {architecture, variant} normalised like containerd's platforms package. */
  private static String[] normaliseArch(String arch, String variant) {
    String a = arch.toLowerCase(Locale.ROOT);
    String v = variant.toLowerCase(Locale.ROOT);
    switch (a) {
      case "i386":
        return new String[] {"386", ""};
      case "x86_64":
      case "x86-64":
      case "amd64":
        return new String[] {"amd64", v.equals("v1") ? "" : v};
      case "aarch64":
      case "arm64":
        if (v.equals("8") || v.equals("v8") || v.equals("v8.0")) {
          return new String[] {"arm64", ""};
        }
        return new String[] {"arm64", v.equals("9") || v.equals("9.0") || v.equals("v9.0") ? "v9" : v};
      case "armhf":
        return new String[] {"arm", "v7"};
      case "armel":
        return new String[] {"arm", "v6"};
      case "arm":
        if (v.isEmpty() || v.equals("7")) {
          return new String[] {"arm", "v7"};
        }
        return new String[] {"arm", v.matches("[568]") ? "v" + v : v};
      default:
        return new String[] {a, v};
    }
  }
}
