package dev.gantry.plan;

import java.util.Locale;

/**
 * {@code --chmod} values: an octal mode up to {@code 07777}, or a symbolic mode as chmod(1) takes
 * it ({@code u+x}, {@code go-w,o=r}, {@code a+X}), applied with a zero umask.
 */
public final class Modes {
  private Modes() {}

  /** Throws {@link IllegalArgumentException} with BuildKit's message when {@code spec} is not a mode. */
  public static void validate(String spec) {
    apply(spec, 0644, false);
  }

  /** True when {@code spec} is octal. */
  public static boolean isOctal(String spec) {
    return !spec.isEmpty() && spec.chars().allMatch(c -> c >= '0' && c <= '7');
  }

  /** The mode {@code spec} gives to an entry whose current mode is {@code mode}. */
  public static int apply(String spec, int mode, boolean directory) {
    if (!spec.isEmpty() && spec.chars().allMatch(Character::isDigit)) {
      int v;
      try {
        v = Integer.parseInt(spec, 8);
      } catch (NumberFormatException e) {
        v = -1;
      }
      if (v < 0 || v > 07777) {
        throw new IllegalArgumentException("invalid chmod parameter: '" + spec
            + "'. it should be octal string and between 0 and 07777");
      }
      return v;
    }
    int m = mode & 07777;
    for (String clause : spec.split(",", -1)) {
      m = clause(clause, m, directory, spec);
    }
    return m;
  }

  private static int clause(String c, int mode, boolean dir, String spec) {
    int i = 0;
    int who = 0;
    while (i < c.length() && "ugoa".indexOf(c.charAt(i)) >= 0) {
      who |= switch (c.charAt(i)) {
        case 'u' -> 04700;
        case 'g' -> 02070;
        case 'o' -> 01007;
        default -> 07777;
      };
      i++;
    }
    boolean whoGiven = who != 0;
    if (!whoGiven) {
      who = 07777;
    }
    if (i >= c.length()) {
      throw bad(spec);
    }
    while (i < c.length()) {
      char op = c.charAt(i++);
      if (op != '+' && op != '-' && op != '=') {
        throw bad(spec);
      }
      int bits = 0;
      while (i < c.length() && "rwxXstugo".indexOf(c.charAt(i)) >= 0) {
        char p = c.charAt(i++);
        bits |= switch (p) {
          case 'r' -> 0444;
          case 'w' -> 0222;
          case 'x' -> 0111;
          case 'X' -> (dir || (mode & 0111) != 0) ? 0111 : 0;
          case 's' -> 06000;
          case 't' -> 01000;
          case 'u' -> copyBits((mode >> 6) & 7);
          case 'g' -> copyBits((mode >> 3) & 7);
          default -> copyBits(mode & 7);
        };
      }
      int mask = who & bits;
      switch (op) {
        case '+' -> mode |= mask;
        case '-' -> mode &= ~mask;
        default -> mode = (mode & ~(who & 07777 & ~(dir ? 06000 : 0))) | mask;
      }
    }
    return mode & 07777;
  }

  private static int copyBits(int rwx) {
    return rwx * 0111;
  }

  private static IllegalArgumentException bad(String spec) {
    return new IllegalArgumentException("invalid chmod parameter: '" + spec.toLowerCase(Locale.ROOT)
        + "': invalid mode");
  }
}
