/**
 * The values a build request and the builder share, so the public API hands the engine typed values
 * instead of translating them: outputs, events and their listener, step results, the build
 * exception, and push requests and results. Depends only on {@code oci} (and the JDK); part of the
 * public API together with {@code dev.gantry.api}.
 */
package dev.gantry.model;
