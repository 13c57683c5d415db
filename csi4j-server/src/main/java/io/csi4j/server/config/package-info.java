/**
 * How a driver serves, as values: the mode, the driver's name, the node's identity, and the
 * capabilities that follow from the mode and the backend's features.
 */
package io.csi4j.server.config;
