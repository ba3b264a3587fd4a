package dev.gantry.model;

import java.util.Objects;

/**
 * A user name and secret for one registry; {@link #toString} never shows the secret.
 *
 * @param user the user name ({@code <token>} when {@code secret} is an identity token)
 * @param secret the password or token
 */
public record RegistryLogin(String user, String secret) {
  public RegistryLogin {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(secret, "secret");
  }

  @Override
  public String toString() {
    return "RegistryLogin[user=" + user + ", secret=***]";
  }
}
