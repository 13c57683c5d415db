package io.csi4j.spi;

/** How many nodes, and how many writers, may use a volume at once (the CSI access modes). */
public enum AccessMode {
    SINGLE_NODE_WRITER(false),
    SINGLE_NODE_READER_ONLY(false),
    MULTI_NODE_READER_ONLY(true),
    MULTI_NODE_SINGLE_WRITER(true),
    MULTI_NODE_MULTI_WRITER(true),
    SINGLE_NODE_SINGLE_WRITER(false),
    SINGLE_NODE_MULTI_WRITER(false);

    private final boolean multiNode;

    AccessMode(boolean multiNode) {
        this.multiNode = multiNode;
    }

    /** Whether the mode lets more than one node use the volume. */
    public boolean multiNode() {
        return multiNode;
    }

    public boolean readOnly() {
        return this == SINGLE_NODE_READER_ONLY || this == MULTI_NODE_READER_ONLY;
    }
}
