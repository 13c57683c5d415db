package io.csi4j.backend.local.node;

import io.csi4j.backend.local.provision.LocalProvisioner;
import io.csi4j.backend.local.volume.LocalLayout;

/**
 * What every class of the node side shares: the controller's records and locks, where things lie,
 * the checks of requests, this node's own records, the kernel, and the taking down of targets.
 */
record NodeSide(LocalProvisioner provisioner, LocalLayout layout, Requests requests, NodeStates states, Kernel kernel,
                Targets targets) {
}
