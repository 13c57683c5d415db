/** The CSI Identity service: who the plugin is, what it can do, and whether it is ready. */
package io.csi4j.server.identity;
