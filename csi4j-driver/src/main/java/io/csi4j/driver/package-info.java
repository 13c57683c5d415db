/**
 * The csi4j executable: turns flags into a configuration, wires the server to a backend, adds
 * the CSI client commands, and handles signals. The only package that knows every module.
 */
package io.csi4j.driver;
