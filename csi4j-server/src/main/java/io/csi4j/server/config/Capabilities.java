package io.csi4j.server.config;

import csi.v1.ControllerServiceCapability;
import csi.v1.NodeServiceCapability;
import csi.v1.PluginCapability;
import io.csi4j.spi.Feature;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a driver in a given mode, over a backend with given features, reports to the CO. Derived
 * in one place so that Identity, Controller and Node never disagree, and a capability is
 * reported only when the services behind it are registered.
 */
public record Capabilities(Mode mode, Set<Feature> features) {

    public Capabilities {
        features = Set.copyOf(features);
    }

    public List<PluginCapability> plugin() {
        List<PluginCapability> caps = new ArrayList<>();
        if (mode.servesController() && features.contains(Feature.PROVISIONING)) {
            caps.add(service(PluginCapability.Service.Type.CONTROLLER_SERVICE));
        }
        if (features.contains(Feature.VOLUME_TOPOLOGY)) {
            caps.add(service(PluginCapability.Service.Type.VOLUME_ACCESSIBILITY_CONSTRAINTS));
        }
        if (mode.servesController() && features.contains(Feature.GROUP_SNAPSHOTS)) {
            caps.add(service(PluginCapability.Service.Type.GROUP_CONTROLLER_SERVICE));
        }
        if (mode.servesController() && features.contains(Feature.SNAPSHOT_METADATA)) {
            caps.add(service(PluginCapability.Service.Type.SNAPSHOT_METADATA_SERVICE));
        }
        if (features.contains(Feature.ONLINE_EXPANSION)) {
            caps.add(expansion(PluginCapability.VolumeExpansion.Type.ONLINE));
        } else if (features.contains(Feature.OFFLINE_EXPANSION)) {
            caps.add(expansion(PluginCapability.VolumeExpansion.Type.OFFLINE));
        }
        return caps;
    }

    /**
     * The controller RPCs served. Provisioning brings create/delete, listing, lookup, capacity and
     * volume conditions; never PUBLISH_UNPUBLISH_VOLUME, since volumes need no attaching step
     * between provisioning and the node.
     */
    public List<ControllerServiceCapability> controller() {
        List<ControllerServiceCapability> caps = new ArrayList<>();
        if (!mode.servesController()) {
            return caps;
        }
        if (features.contains(Feature.PROVISIONING)) {
            caps.add(rpc(ControllerServiceCapability.RPC.Type.CREATE_DELETE_VOLUME));
            caps.add(rpc(ControllerServiceCapability.RPC.Type.LIST_VOLUMES));
            caps.add(rpc(ControllerServiceCapability.RPC.Type.GET_VOLUME));
            caps.add(rpc(ControllerServiceCapability.RPC.Type.GET_CAPACITY));
            caps.add(rpc(ControllerServiceCapability.RPC.Type.VOLUME_CONDITION));
        }
        if (features.contains(Feature.SNAPSHOTS)) {
            caps.add(rpc(ControllerServiceCapability.RPC.Type.CREATE_DELETE_SNAPSHOT));
            caps.add(rpc(ControllerServiceCapability.RPC.Type.LIST_SNAPSHOTS));
            caps.add(rpc(ControllerServiceCapability.RPC.Type.GET_SNAPSHOT));
        }
        if (features.contains(Feature.CLONING)) {
            caps.add(rpc(ControllerServiceCapability.RPC.Type.CLONE_VOLUME));
        }
        if (features.contains(Feature.ONLINE_EXPANSION) || features.contains(Feature.OFFLINE_EXPANSION)) {
            caps.add(rpc(ControllerServiceCapability.RPC.Type.EXPAND_VOLUME));
        }
        return caps;
    }

    /** The group controller RPCs served: group snapshots, in a mode that serves the controller. */
    public List<csi.v1.GroupControllerServiceCapability> groupController() {
        if (!servesGroupController()) {
            return List.of();
        }
        return List.of(csi.v1.GroupControllerServiceCapability.newBuilder()
                .setRpc(csi.v1.GroupControllerServiceCapability.RPC.newBuilder()
                        .setType(csi.v1.GroupControllerServiceCapability.RPC.Type.CREATE_DELETE_GET_VOLUME_GROUP_SNAPSHOT))
                .build());
    }

    /** Whether the GroupController service is registered at all. */
    public boolean servesGroupController() {
        return mode.servesController() && features.contains(Feature.GROUP_SNAPSHOTS);
    }

    public List<NodeServiceCapability> node() {
        List<NodeServiceCapability> caps = new ArrayList<>();
        if (!mode.servesNode()) {
            return caps;
        }
        if (!features.contains(Feature.NODE_VOLUMES)) {
            return caps;
        }
        if (features.contains(Feature.STAGING)) {
            caps.add(nodeRpc(NodeServiceCapability.RPC.Type.STAGE_UNSTAGE_VOLUME));
        }
        if (features.contains(Feature.VOLUME_STATS)) {
            caps.add(nodeRpc(NodeServiceCapability.RPC.Type.GET_VOLUME_STATS));
            caps.add(nodeRpc(NodeServiceCapability.RPC.Type.VOLUME_CONDITION));
        }
        if (features.contains(Feature.SINGLE_NODE_MULTI_WRITER)) {
            caps.add(nodeRpc(NodeServiceCapability.RPC.Type.SINGLE_NODE_MULTI_WRITER));
        }
        if (features.contains(Feature.ONLINE_EXPANSION) || features.contains(Feature.OFFLINE_EXPANSION)) {
            caps.add(nodeRpc(NodeServiceCapability.RPC.Type.EXPAND_VOLUME));
        }
        return caps;
    }

    private static NodeServiceCapability nodeRpc(NodeServiceCapability.RPC.Type type) {
        return NodeServiceCapability.newBuilder().setRpc(NodeServiceCapability.RPC.newBuilder().setType(type)).build();
    }

    private static PluginCapability service(PluginCapability.Service.Type type) {
        return PluginCapability.newBuilder().setService(PluginCapability.Service.newBuilder().setType(type)).build();
    }

    private static PluginCapability expansion(PluginCapability.VolumeExpansion.Type type) {
        return PluginCapability.newBuilder()
                .setVolumeExpansion(PluginCapability.VolumeExpansion.newBuilder().setType(type)).build();
    }

    private static ControllerServiceCapability rpc(ControllerServiceCapability.RPC.Type type) {
        return ControllerServiceCapability.newBuilder()
                .setRpc(ControllerServiceCapability.RPC.newBuilder().setType(type)).build();
    }
}
