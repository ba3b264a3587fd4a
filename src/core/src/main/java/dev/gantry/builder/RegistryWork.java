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
 * base image's manifest, asked for once the Dockerfile names it, goes out on a ready client.
 *
 * @param registries the build's registries
 * @param remote where layers the store lacks are fetched from
 * @param imports the build's caches, read on a thread of their own (at once when there are none)
 */
record RegistryWork(Registries registries, RemoteBlobs remote, CompletableFuture<CacheImports> imports) {

  static RegistryWork start(BuildSpec spec, Store store, BuildListener listener) {
    Registries registries = spec.registry().registries();
    if (spec.cache().usesRegistry() || spec.outputs().stream().anyMatch(o -> o instanceof Output.Registry)) {
      registries.prepare();
    }
    RemoteBlobs remote = new RemoteBlobs(store, registries);
    // most builds have no cache to read: no thread for them
    CompletableFuture<CacheImports> imports = spec.cache().from().isEmpty()
        ? CompletableFuture.completedFuture(CacheImports.load(List.of(), registries, store, remote, listener))
        : CompletableFuture.supplyAsync(() -> CacheImports.load(spec.cache().from(), registries, store, remote,
            listener));
    return new RegistryWork(registries, remote, imports);
  }
}
