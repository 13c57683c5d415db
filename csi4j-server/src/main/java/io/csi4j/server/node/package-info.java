/** The CSI Node service: what kubelet calls on every node. */
package io.csi4j.server.node;
