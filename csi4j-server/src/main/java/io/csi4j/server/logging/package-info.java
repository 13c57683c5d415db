/**
 * One log story per call: a request ID on every line of the call, the outcome in one line, and
 * requests shown only with every field the CSI protocol marks {@code csi_secret} redacted.
 */
package io.csi4j.server.logging;
