/**
 * The one place where outcomes become gRPC status codes: backend exceptions by their sealed
 * type, request validation failures as INVALID_ARGUMENT, and anything unexpected as INTERNAL
 * with the stack trace logged once.
 */
package io.csi4j.server.status;
