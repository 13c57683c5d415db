/**
 * What a storage backend offers the front doors (CSI, and later Docker and FlexVolume):
 * plain records in, plain records out, and a sealed family of {@link io.csi4j.spi.BackendException}s
 * for the outcomes a caller must tell apart. Nothing here knows gRPC or any other wire format.
 *
 * <p>Requests arrive checked for what they show alone (required fields, malformed values). When
 * more than one thing is wrong, a backend reports {@link io.csi4j.spi.VolumeNotFound} (or
 * {@link io.csi4j.spi.SnapshotNotFound}) of the object a call is about before anything that
 * depends on that object: a capability it cannot serve, a conflicting use, a size. Calls that are
 * idempotent by name look the name up first, so a replay is answered as before.
 */
package io.csi4j.spi;
