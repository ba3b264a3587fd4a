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
   * Parses {@code os/arch[/variant]} (or a bare {@code arch}, taken as linux) and normalises it;
   * throws {@link IllegalArgumentException} when malformed.
   */
  public static Platform parse(String spec) {
    String[] parts = spec.trim().split("/", -1);
    for (String p : parts) {
      if (p.isEmpty()) {
        throw new IllegalArgumentException("invalid platform \"" + spec + "\": empty component");
      }
    }
    switch (parts.length) {
      case 1: {
        String s = parts[0].toLowerCase(Locale.ROOT);
        if (isKnownOs(s)) {
          return of(s, current().architecture(), current().variant());
        }
        return of("linux", s, "");
      }
      case 2:
        return of(parts[0], parts[1], "");
      case 3:
        return of(parts[0], parts[1], parts[2]);
      default:
        throw new IllegalArgumentException("invalid platform \"" + spec + "\": too many components");
    }
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

  private static boolean isKnownOs(String s) {
    return List.of("linux", "windows", "darwin", "freebsd", "netbsd", "openbsd", "solaris",
        "illumos", "aix", "android", "ios", "plan9", "js", "wasip1", "dragonfly").contains(s);
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
