package dev.gantry.api;

import dev.gantry.ast.NetworkMode;
import dev.gantry.model.BuildListener;
import dev.gantry.model.Output;
import dev.gantry.model.RegistryLogin;
import dev.gantry.oci.Compression;
import dev.gantry.oci.Platform;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fields of a {@link BuildRequest}, with their defaults. A {@link BuildRequest.Builder} fills a
 * mutable instance; {@link #frozen} copies it into the immutable one a request holds, which nothing
 * changes afterwards. The meaning of each field is documented on its {@link BuildRequest} accessor.
 */
final class RequestFields {
  final Path context;
  Path dockerfile;
  Map<String, String> buildArgs = new LinkedHashMap<>();
  Map<String, String> buildContexts = new LinkedHashMap<>();
  String target;
  Platform platform;
  List<String> tags = new ArrayList<>();
  List<Output> outputs = new ArrayList<>();
  Map<String, String> labels = new LinkedHashMap<>();
  Map<String, Path> secretFiles = new LinkedHashMap<>();
  Map<String, String> secretEnvVars = new LinkedHashMap<>();
  Map<String, Path> sshSockets = new LinkedHashMap<>();
  boolean allowInsecure;
  boolean noCache;
  NetworkMode network = NetworkMode.DEFAULT;
  Isolation isolation = Isolation.AUTO;
  Path storeDirectory;
  Long storeMax;
  Long sourceDateEpoch;
  boolean rewriteTimestamp;
  Compression compression = Compression.GZIP;
  BuildListener listener = BuildListener.NONE;
  boolean pull;
  boolean push;
  Set<String> insecureRegistries = new TreeSet<>();
  Map<String, RegistryLogin> registryCredentials = new LinkedHashMap<>();
  List<CacheLocation> cacheFrom = new ArrayList<>();
  List<CacheExport> cacheTo = new ArrayList<>();

  RequestFields(Path context) {
    this.context = Objects.requireNonNull(context, "context");
  }

  /** A copy with unmodifiable collections and the Dockerfile defaulted to {@code CONTEXT/Dockerfile}. */
  RequestFields frozen() {
    RequestFields f = new RequestFields(context);
    f.dockerfile = dockerfile != null ? dockerfile : context.resolve("Dockerfile");
    f.buildArgs = Map.copyOf(buildArgs);
    f.buildContexts = Map.copyOf(buildContexts);
    f.target = target;
    f.platform = platform;
    f.tags = List.copyOf(tags);
    f.outputs = List.copyOf(outputs);
    f.labels = Map.copyOf(labels);
    f.secretFiles = Map.copyOf(secretFiles);
    f.secretEnvVars = Map.copyOf(secretEnvVars);
    f.sshSockets = Map.copyOf(sshSockets);
    f.allowInsecure = allowInsecure;
    f.noCache = noCache;
    f.network = network;
    f.isolation = isolation;
    f.storeDirectory = storeDirectory;
    f.storeMax = storeMax;
    f.sourceDateEpoch = sourceDateEpoch;
    f.rewriteTimestamp = rewriteTimestamp;
    f.compression = compression;
    f.listener = listener;
    f.pull = pull;
    f.push = push;
    f.insecureRegistries = Set.copyOf(insecureRegistries);
    f.registryCredentials = Map.copyOf(registryCredentials);
    f.cacheFrom = List.copyOf(cacheFrom);
    f.cacheTo = List.copyOf(cacheTo);
    return f;
  }
}
