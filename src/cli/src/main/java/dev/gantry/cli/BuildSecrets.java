package dev.gantry.cli;

import dev.gantry.api.BuildRequest;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps {@code --secret}, {@code --ssh} and {@code --allow} values (buildx spelling) onto a
 * {@link BuildRequest.Builder}.
 */
final class BuildSecrets {
  private BuildSecrets() {}

  /**
   * Applies {@code --secret id=ID,src=FILE} / {@code id=ID,env=VAR} (also {@code source=}, {@code
   * type=file|env}), {@code --ssh ID[=SOCKET]} and {@code --allow security.insecure}.
   *
   * @throws IllegalArgumentException for a malformed value (the message says which)
   */
  static void apply(BuildRequest.Builder req, List<String> secrets, List<String> ssh, List<String> allow) {
    for (String s : secrets) {
      Map<String, String> kv = new LinkedHashMap<>();
      for (String field : s.split(",")) {
        int eq = field.indexOf('=');
        if (eq < 0) {
          throw new IllegalArgumentException("--secret " + s + ": expected key=value fields, e.g. id=token,src=FILE");
        }
        kv.put(field.substring(0, eq).trim().toLowerCase(java.util.Locale.ROOT), field.substring(eq + 1));
      }
      String id = kv.get("id");
      String src = kv.getOrDefault("src", kv.get("source"));
      String env = kv.get("env");
      if (id == null || id.isEmpty()) {
        throw new IllegalArgumentException("--secret " + s + ": id= is required");
      }
      if ("env".equals(kv.get("type")) && env == null) {
        env = src;
        src = null;
      }
      if ((src == null) == (env == null)) {
        throw new IllegalArgumentException("--secret " + s + ": give exactly one of src=FILE and env=VAR");
      }
      if (src != null) {
        req.secret(id, Path.of(src));
      } else {
        req.secretEnv(id, env);
      }
    }
    for (String s : ssh) {
      int eq = s.indexOf('=');
      String id = eq < 0 ? s : s.substring(0, eq);
      String socket = eq < 0 ? System.getenv("SSH_AUTH_SOCK") : s.substring(eq + 1);
      if (socket == null || socket.isEmpty()) {
        throw new IllegalArgumentException("--ssh " + s + ": no socket given and SSH_AUTH_SOCK is not set");
      }
      req.ssh(id, Path.of(socket));
    }
    for (String a : allow) {
      if (!a.equals("security.insecure")) {
        throw new IllegalArgumentException("--allow " + a + ": only security.insecure is supported");
      }
      req.allowInsecure(true);
    }
  }
}
