package dev.gantry.api;

import dev.gantry.oci.Digest;
import java.time.Instant;

/**
 * One tag of the local store, as {@code gantry images} lists it.
 *
 * @param tag the tag as a build wrote it ({@code app:1}), or the reference of a base image a build
 *     pulled ({@code docker.io/library/alpine:3.20})
 * @param manifestDigest the image's manifest digest
 * @param size the bytes of the image's blobs: manifest, config and (compressed) layers
 * @param created the image config's {@code created} time (the build's epoch for reproducible builds),
 *     or null when the config is not in the store
 * @param pulled whether the tag records a pulled base image rather than a build's result
 */
public record ImageSummary(String tag, Digest manifestDigest, long size, Instant created, boolean pulled) {}
