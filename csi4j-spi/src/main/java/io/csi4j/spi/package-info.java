/**
 * What a storage backend offers the front doors (CSI, and later Docker and FlexVolume):
 * plain records in, plain records out, and a sealed family of {@link io.csi4j.spi.BackendException}s
 * for the outcomes a caller must tell apart. Nothing here knows gRPC or any other wire format.
 */
package io.csi4j.spi;
