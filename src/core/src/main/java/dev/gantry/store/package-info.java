/**
 * The local content-addressed store shared by all builds: blobs by sha256, an index from cache key
 * to cached step result (with the key's preimage), tags, cross-process locks, verification and
 * size-bounded garbage collection. Entry point: {@link dev.gantry.store.Store}.
 */
package dev.gantry.store;
