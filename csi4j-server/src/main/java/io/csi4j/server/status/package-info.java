/**
 * The one place where outcomes become gRPC status codes: backend exceptions by their sealed
 * type, request validation failures as INVALID_ARGUMENT, and anything unexpected as INTERNAL
 * with the stack trace logged once.
 *
 * <p>When a request is wrong in more than one way, the CSI spec (v1.12) does not say which code
 * wins; every service checks in the same order, so the answer never depends on which check a
 * backend happens to run first:
 * <ol>
 *   <li>UNIMPLEMENTED: the RPC is not served at all, whatever the request holds;</li>
 *   <li>what the request alone shows: first INVALID_ARGUMENT for a missing required field (the
 *       spec's general rule), then INVALID_ARGUMENT for a field malformed in itself, then the
 *       other request-only codes (OUT_OF_RANGE for a limit below the required size,
 *       FAILED_PRECONDITION for NodePublishVolume without the staging path a staging driver
 *       needs);</li>
 *   <li>NOT_FOUND of the object the call is about (volume, source, snapshot, group), including a
 *       {@code volume_path} no volume can be at;</li>
 *   <li>what depends on that object: capabilities it cannot serve, ALREADY_EXISTS, in use,
 *       sizes it cannot take, snapshot lists that do not match.</li>
 * </ol>
 * Steps 1 and 2 are the server's, so nothing malformed reaches a backend; backends keep steps 3
 * and 4 in that order ({@link io.csi4j.spi.VolumeNotFound} before anything about the volume).
 */
package io.csi4j.server.status;
