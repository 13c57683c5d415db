/** The CSI Controller service: provisioning, seen from the cluster. */
package io.csi4j.server.controller;
