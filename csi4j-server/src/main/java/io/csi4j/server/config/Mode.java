package io.csi4j.server.config;

import java.util.Locale;

/** Which CSI services a running driver registers besides Identity. */
public enum Mode {
    /** Controller only: the central provisioner of shared-filesystem volumes. */
    CONTROLLER(true, false),
    /** Node only: what kubelet talks to on a node. */
    NODE(false, true),
    /** Both: node-local volumes are provisioned on their own node. */
    ALL(true, true);

    private final boolean controller;
    private final boolean node;

    Mode(boolean controller, boolean node) {
        this.controller = controller;
        this.node = node;
    }

    public boolean servesController() {
        return controller;
    }

    public boolean servesNode() {
        return node;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
