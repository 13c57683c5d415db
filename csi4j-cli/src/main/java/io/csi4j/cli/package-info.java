/**
 * A command-line CSI client for any CSI driver, ours or another vendor's: one picocli command
 * per RPC, readable output or {@code -o json}, and gRPC errors shown as {@code CODE: message}.
 * It speaks only the CSI protocol and knows nothing of csi4j's internals.
 */
package io.csi4j.cli;
