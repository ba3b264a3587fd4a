package dev.gantry.builder;

import dev.gantry.model.BuildListener;
import dev.gantry.model.Output;
import dev.gantry.registry.Registries;
import dev.gantry.store.Store;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The registry work a build starts before it parses its Dockerfile, because it does not depend on
 * it: the HTTP client when the build pushes or uses a registry cache, and the reading of its
 * caches. The first requests then load and warm the HTTP stack while the Dockerfile is parsed, and a
 * base image's manifest, asked for once the Dockerfile names it, goes out on a ready client. Closed
 * when the build ends: what the reading of the caches still reports after that (the Dockerfile had
 * an error, say) is dropped, so a listener hears nothing from a build that has returned.
 */
final class RegistryWork implements AutoCloseable {
  private final Registries registries;
  private final RemoteBlobs remote;
  private final CompletableFuture<CacheImports> imports;
  private volatile boolean ended;

  private RegistryWork(Registries registries, Store store, BuildSpec spec, BuildListener listener) {
    RemoteBlobs remote = new RemoteBlobs(store, registries);
    this.registries = registries;
    this.remote = remote;
    BuildListener untilEnded = e -> {
      if (!ended) {
        listener.onEvent(e);
      }
    };
    // most builds have no cache to read: no thread for them
    this.imports = spec.cache().from().isEmpty()
        ? CompletableFuture.completedFuture(CacheImports.load(List.of(), registries, store, remote, untilEnded))
        : CompletableFuture.supplyAsync(() -> CacheImports.load(spec.cache().from(), registries, store, remote,
            untilEnded));
  }

  static RegistryWork start(BuildSpec spec, Store store, BuildListener listener) {
    Registries registries = spec.registry().registries();
    if (spec.cache().usesRegistry() || spec.outputs().stream().anyMatch(o -> o instanceof Output.Registry)) {
      registries.prepare();
    }
    return new RegistryWork(registries, store, spec, listener);
  }

  /** The build's registries. */
  Registries registries() {
    return registries;
  }

  /** Where layers the store lacks are fetched from. */
  RemoteBlobs remote() {
    return remote;
  }

  /** The build's caches, read on a thread of their own (at once when there are none). */
  CompletableFuture<CacheImports> imports() {
    return imports;
  }

  @Override
  public void close() {
    ended = true;
  }
}
