/**
 * The build context: {@code .dockerignore} patterns with BuildKit's matching rules, the ignore-file
 * lookup, the walk that lists the files a build may read, COPY source resolution, and content
 * digests with a persistent stat cache.
 *
 * <p>This package depends only on {@code dev.gantry.oci} and the JDK.
 */
package dev.gantry.context;
