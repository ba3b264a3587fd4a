package dev.gantry.registry;

import java.util.Map;

/**
 * Run in a child JVM (whose PATH and DOCKER_CONFIG a test sets): looks up the credentials of the
 * reference {@code args[0]} from the docker config and prints the user and whether the secret is
 * {@code args[1]} (never the secret itself).
 */
public final class CredentialHelperMain {
  private CredentialHelperMain() {}

  public static void main(String[] args) {
    var found = Credentials.of(Map.of()).lookup(ImageReference.parse(args[0]));
    System.out.println(found.map(s -> "user=" + s.user() + " secret-matches=" + s.secret().equals(args[1]))
        .orElse("none"));
  }
}
