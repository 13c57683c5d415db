package csi.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.EnumValueOptions;
import com.google.protobuf.DescriptorProtos.FieldOptions;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.DescriptorProtos.MethodOptions;
import com.google.protobuf.DescriptorProtos.ServiceOptions;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.GeneratedMessage.GeneratedExtension;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Checks the generated descriptors of csi.proto against facts of the CSI
 * spec v1.12.0. Every expected value here is written down from the spec, not
 * read back from the generated code, so a drift in csi.proto fails a test.
 */
class CsiProtocolSpecTest {

  private static final FileDescriptor FILE = Csi.getDescriptor();

  @Test
  void fileIsPackageCsiV1WithSpecImports() {
    assertThat(FILE.getPackage()).isEqualTo("csi.v1");
    assertThat(FILE.getDependencies())
        .extracting(FileDescriptor::getName)
        .containsExactlyInAnyOrder(
            "google/protobuf/descriptor.proto",
            "google/protobuf/timestamp.proto",
            "google/protobuf/wrappers.proto");
  }

  @Test
  void createVolumeRequestFieldNumbersMatchSpec() {
    assertThat(fieldNumbers(CreateVolumeRequest.getDescriptor()))
        .containsExactly(
            Map.entry("name", 1),
            Map.entry("capacity_range", 2),
            Map.entry("volume_capabilities", 3),
            Map.entry("parameters", 4),
            Map.entry("secrets", 5),
            Map.entry("volume_content_source", 6),
            Map.entry("accessibility_requirements", 7),
            Map.entry("mutable_parameters", 8));
  }

  @Test
  void nodePublishVolumeRequestFieldNumbersMatchSpec() {
    assertThat(fieldNumbers(NodePublishVolumeRequest.getDescriptor()))
        .containsExactly(
            Map.entry("volume_id", 1),
            Map.entry("publish_context", 2),
            Map.entry("staging_target_path", 3),
            Map.entry("target_path", 4),
            Map.entry("volume_capability", 5),
            Map.entry("readonly", 6),
            Map.entry("secrets", 7),
            Map.entry("volume_context", 8));
  }

  @Test
  void snapshotMetadataRequestsUseSpecFieldNumbersAndTypes() {
    Descriptor delta = GetMetadataDeltaRequest.getDescriptor();
    assertThat(fieldNumbers(delta))
        .containsExactly(
            Map.entry("base_snapshot_id", 1),
            Map.entry("target_snapshot_id", 2),
            Map.entry("starting_offset", 3),
            Map.entry("max_results", 4),
            Map.entry("secrets", 5));
    assertThat(delta.findFieldByName("starting_offset").getType())
        .isEqualTo(FieldDescriptor.Type.INT64);
    assertThat(delta.findFieldByName("max_results").getType())
        .isEqualTo(FieldDescriptor.Type.INT32);

    assertThat(fieldNumbers(GetMetadataAllocatedResponse.getDescriptor()))
        .containsExactly(
            Map.entry("block_metadata_type", 1),
            Map.entry("volume_capacity_bytes", 2),
            Map.entry("block_metadata", 3));
  }

  @Test
  void mountVolumeCarriesVolumeMountGroupAsThirdField() {
    FieldDescriptor group =
        VolumeCapability.MountVolume.getDescriptor().findFieldByName("volume_mount_group");
    assertThat(group).isNotNull();
    assertThat(group.getNumber()).isEqualTo(3);
    assertThat(group.getType()).isEqualTo(FieldDescriptor.Type.STRING);
  }

  @Test
  void oneofsMatchSpec() {
    assertThat(VolumeCapability.getDescriptor().getOneofs())
        .singleElement()
        .satisfies(o -> assertThat(o.getName()).isEqualTo("access_type"))
        .satisfies(
            o ->
                assertThat(o.getFields())
                    .extracting(FieldDescriptor::getName)
                    .containsExactly("block", "mount"));
    assertThat(VolumeContentSource.getDescriptor().getOneofs())
        .singleElement()
        .satisfies(
            o ->
                assertThat(o.getFields())
                    .extracting(FieldDescriptor::getName)
                    .containsExactly("snapshot", "volume"));
    assertThat(PluginCapability.getDescriptor().getOneofs().get(0).getFields())
        .extracting(FieldDescriptor::getName)
        .containsExactly("service", "volume_expansion");
  }

  @Test
  void exactlyTheSpecFieldsCarryCsiSecret() {
    Set<String> secretFields = new TreeSet<>();
    forEachMessage(
        m ->
            m.getFields().stream()
                .filter(f -> f.getOptions().getExtension(Csi.csiSecret))
                .forEach(f -> secretFields.add(m.getName() + "." + f.getName())));

    assertThat(secretFields)
        .containsExactlyInAnyOrder(
            "CreateVolumeRequest.secrets",
            "DeleteVolumeRequest.secrets",
            "ControllerPublishVolumeRequest.secrets",
            "ControllerUnpublishVolumeRequest.secrets",
            "ValidateVolumeCapabilitiesRequest.secrets",
            "ControllerModifyVolumeRequest.secrets",
            "CreateSnapshotRequest.secrets",
            "DeleteSnapshotRequest.secrets",
            "ListSnapshotsRequest.secrets",
            "GetSnapshotRequest.secrets",
            "ControllerExpandVolumeRequest.secrets",
            "NodeStageVolumeRequest.secrets",
            "NodePublishVolumeRequest.secrets",
            "NodeExpandVolumeRequest.secrets",
            "CreateVolumeGroupSnapshotRequest.secrets",
            "DeleteVolumeGroupSnapshotRequest.secrets",
            "GetVolumeGroupSnapshotRequest.secrets",
            "GetMetadataAllocatedRequest.secrets",
            "GetMetadataDeltaRequest.secrets");
  }

  @Test
  void fiveServicesWithSpecMethodCounts() {
    Map<String, Integer> methodCounts = new LinkedHashMap<>();
    for (ServiceDescriptor s : FILE.getServices()) {
      methodCounts.put(s.getFullName(), s.getMethods().size());
    }
    assertThat(methodCounts)
        .containsOnly(
            Map.entry("csi.v1.Identity", 3),
            Map.entry("csi.v1.Controller", 15),
            Map.entry("csi.v1.GroupController", 4),
            Map.entry("csi.v1.SnapshotMetadata", 2),
            Map.entry("csi.v1.Node", 8));
  }

  @Test
  void controllerServiceListsSpecRpcsInOrder() {
    assertThat(service("Controller").getMethods())
        .extracting(MethodDescriptor::getName)
        .containsExactly(
            "CreateVolume",
            "DeleteVolume",
            "ControllerPublishVolume",
            "ControllerUnpublishVolume",
            "ValidateVolumeCapabilities",
            "ListVolumes",
            "GetCapacity",
            "ControllerGetCapabilities",
            "CreateSnapshot",
            "DeleteSnapshot",
            "ListSnapshots",
            "GetSnapshot",
            "ControllerExpandVolume",
            "ControllerGetVolume",
            "ControllerModifyVolume");
  }

  @Test
  void snapshotMetadataRpcsAreServerStreamingOnly() {
    assertThat(service("SnapshotMetadata").getMethods())
        .extracting(MethodDescriptor::getName)
        .containsExactly("GetMetadataAllocated", "GetMetadataDelta");
    assertThat(service("SnapshotMetadata").getMethods())
        .allSatisfy(
            m -> {
              assertThat(m.isServerStreaming()).as(m.getName()).isTrue();
              assertThat(m.isClientStreaming()).as(m.getName()).isFalse();
            });
  }

  @Test
  void noOtherRpcStreams() {
    FILE.getServices().stream()
        .filter(s -> !s.getName().equals("SnapshotMetadata"))
        .flatMap(s -> s.getMethods().stream())
        .forEach(
            m -> {
              assertThat(m.isServerStreaming()).as(m.getFullName()).isFalse();
              assertThat(m.isClientStreaming()).as(m.getFullName()).isFalse();
            });
  }

  @Test
  void grpcServiceNamesAreCsiV1Qualified() {
    assertThat(IdentityGrpc.SERVICE_NAME).isEqualTo("csi.v1.Identity");
    assertThat(ControllerGrpc.SERVICE_NAME).isEqualTo("csi.v1.Controller");
    assertThat(GroupControllerGrpc.SERVICE_NAME).isEqualTo("csi.v1.GroupController");
    assertThat(SnapshotMetadataGrpc.SERVICE_NAME).isEqualTo("csi.v1.SnapshotMetadata");
    assertThat(NodeGrpc.SERVICE_NAME).isEqualTo("csi.v1.Node");
  }

  @Test
  void controllerRpcCapabilityNumbersMatchSpec() {
    assertThat(enumNumbers(ControllerServiceCapability.RPC.Type.getDescriptor()))
        .containsExactly(
            Map.entry("UNKNOWN", 0),
            Map.entry("CREATE_DELETE_VOLUME", 1),
            Map.entry("PUBLISH_UNPUBLISH_VOLUME", 2),
            Map.entry("LIST_VOLUMES", 3),
            Map.entry("GET_CAPACITY", 4),
            Map.entry("CREATE_DELETE_SNAPSHOT", 5),
            Map.entry("LIST_SNAPSHOTS", 6),
            Map.entry("CLONE_VOLUME", 7),
            Map.entry("PUBLISH_READONLY", 8),
            Map.entry("EXPAND_VOLUME", 9),
            Map.entry("LIST_VOLUMES_PUBLISHED_NODES", 10),
            Map.entry("VOLUME_CONDITION", 11),
            Map.entry("GET_VOLUME", 12),
            Map.entry("SINGLE_NODE_MULTI_WRITER", 13),
            Map.entry("MODIFY_VOLUME", 14),
            Map.entry("GET_SNAPSHOT", 15));
  }

  @Test
  void accessModeNumbersMatchSpec() {
    assertThat(enumNumbers(VolumeCapability.AccessMode.Mode.getDescriptor()))
        .containsExactly(
            Map.entry("UNKNOWN", 0),
            Map.entry("SINGLE_NODE_WRITER", 1),
            Map.entry("SINGLE_NODE_READER_ONLY", 2),
            Map.entry("MULTI_NODE_READER_ONLY", 3),
            Map.entry("MULTI_NODE_SINGLE_WRITER", 4),
            Map.entry("MULTI_NODE_MULTI_WRITER", 5),
            Map.entry("SINGLE_NODE_SINGLE_WRITER", 6),
            Map.entry("SINGLE_NODE_MULTI_WRITER", 7));
  }

  @Test
  void nodeAndPluginCapabilityNumbersMatchSpec() {
    assertThat(enumNumbers(NodeServiceCapability.RPC.Type.getDescriptor()))
        .containsExactly(
            Map.entry("UNKNOWN", 0),
            Map.entry("STAGE_UNSTAGE_VOLUME", 1),
            Map.entry("GET_VOLUME_STATS", 2),
            Map.entry("EXPAND_VOLUME", 3),
            Map.entry("VOLUME_CONDITION", 4),
            Map.entry("SINGLE_NODE_MULTI_WRITER", 5),
            Map.entry("VOLUME_MOUNT_GROUP", 6));
    assertThat(enumNumbers(PluginCapability.Service.Type.getDescriptor()))
        .containsExactly(
            Map.entry("UNKNOWN", 0),
            Map.entry("CONTROLLER_SERVICE", 1),
            Map.entry("VOLUME_ACCESSIBILITY_CONSTRAINTS", 2),
            Map.entry("GROUP_CONTROLLER_SERVICE", 3),
            Map.entry("SNAPSHOT_METADATA_SERVICE", 4));
    assertThat(enumNumbers(BlockMetadataType.getDescriptor()))
        .containsExactly(
            Map.entry("UNKNOWN", 0), Map.entry("FIXED_LENGTH", 1), Map.entry("VARIABLE_LENGTH", 2));
  }

  @Test
  void extensionFieldNumbersAndTargetsMatchSpec() {
    assertExtension(Csi.csiSecret, 1059, "google.protobuf.FieldOptions");
    assertExtension(Csi.alphaField, 1060, "google.protobuf.FieldOptions");
    assertExtension(Csi.alphaEnum, 1060, "google.protobuf.EnumOptions");
    assertExtension(Csi.alphaEnumValue, 1060, "google.protobuf.EnumValueOptions");
    assertExtension(Csi.alphaMessage, 1060, "google.protobuf.MessageOptions");
    assertExtension(Csi.alphaMethod, 1060, "google.protobuf.MethodOptions");
    assertExtension(Csi.alphaService, 1060, "google.protobuf.ServiceOptions");
    assertThat(FILE.getExtensions()).hasSize(7);
  }

  @Test
  void onlySnapshotMetadataServiceIsAlpha() {
    Set<String> alphaServices =
        FILE.getServices().stream()
            .filter(s -> s.getOptions().getExtension(Csi.alphaService))
            .map(ServiceDescriptor::getName)
            .collect(Collectors.toSet());
    assertThat(alphaServices).containsExactly("SnapshotMetadata");
  }

  @Test
  void alphaMethodsAreGetSnapshotAndControllerGetVolume() {
    Set<String> alphaMethods =
        FILE.getServices().stream()
            .flatMap(s -> s.getMethods().stream())
            .filter(m -> m.getOptions().getExtension(Csi.alphaMethod))
            .map(MethodDescriptor::getFullName)
            .collect(Collectors.toSet());
    assertThat(alphaMethods)
        .containsExactlyInAnyOrder("csi.v1.Controller.GetSnapshot", "csi.v1.Controller.ControllerGetVolume");
  }

  @Test
  void alphaMessagesMatchSpec() {
    Set<String> alphaMessages = new TreeSet<>();
    forEachMessage(
        m -> {
          if (m.getOptions().getExtension(Csi.alphaMessage)) {
            alphaMessages.add(m.getName());
          }
        });
    assertThat(alphaMessages)
        .containsExactlyInAnyOrder(
            "ControllerGetVolumeRequest",
            "ControllerGetVolumeResponse",
            "GetSnapshotRequest",
            "GetSnapshotResponse",
            "VolumeCondition");
  }

  @Test
  void alphaFieldsMatchSpec() {
    Set<String> alphaFields = new TreeSet<>();
    forEachMessage(
        m ->
            m.getFields().stream()
                .filter(f -> f.getOptions().getExtension(Csi.alphaField))
                .forEach(f -> alphaFields.add(m.getFullName() + "." + f.getName())));
    assertThat(alphaFields)
        .containsExactlyInAnyOrder(
            "csi.v1.ListVolumesResponse.VolumeStatus.volume_condition",
            "csi.v1.GetCapacityResponse.minimum_volume_size",
            "csi.v1.NodeGetVolumeStatsResponse.volume_condition",
            "csi.v1.NodeExpandVolumeRequest.secrets");
  }

  @Test
  void alphaEnumValuesMatchSpec() {
    Set<String> alphaValues = new TreeSet<>();
    Consumer<EnumDescriptor> collect =
        e ->
            e.getValues().stream()
                .filter(v -> v.getOptions().getExtension(Csi.alphaEnumValue))
                .forEach(v -> alphaValues.add(e.getFullName() + "." + v.getName()));
    FILE.getEnumTypes().forEach(collect);
    forEachMessage(m -> m.getEnumTypes().forEach(collect));

    assertThat(alphaValues)
        .containsExactlyInAnyOrder(
            "csi.v1.PluginCapability.Service.Type.SNAPSHOT_METADATA_SERVICE",
            "csi.v1.VolumeCapability.AccessMode.Mode.SINGLE_NODE_SINGLE_WRITER",
            "csi.v1.VolumeCapability.AccessMode.Mode.SINGLE_NODE_MULTI_WRITER",
            "csi.v1.ControllerServiceCapability.RPC.Type.VOLUME_CONDITION",
            "csi.v1.ControllerServiceCapability.RPC.Type.GET_VOLUME",
            "csi.v1.ControllerServiceCapability.RPC.Type.SINGLE_NODE_MULTI_WRITER",
            "csi.v1.ControllerServiceCapability.RPC.Type.GET_SNAPSHOT",
            "csi.v1.NodeServiceCapability.RPC.Type.VOLUME_CONDITION",
            "csi.v1.NodeServiceCapability.RPC.Type.SINGLE_NODE_MULTI_WRITER");
  }

  @Test
  void modifyVolumeIsGeneralAvailabilityInV112() {
    MethodDescriptor modify = service("Controller").findMethodByName("ControllerModifyVolume");
    assertThat(modify.getOptions().getExtension(Csi.alphaMethod)).isFalse();
    assertThat(ControllerModifyVolumeRequest.getDescriptor().getOptions().getExtension(Csi.alphaMessage))
        .isFalse();
    EnumValueDescriptor modifyCap =
        ControllerServiceCapability.RPC.Type.getDescriptor().findValueByName("MODIFY_VOLUME");
    assertThat(modifyCap.getOptions().getExtension(Csi.alphaEnumValue)).isFalse();
    assertThat(
            CreateVolumeRequest.getDescriptor()
                .findFieldByName("mutable_parameters")
                .getOptions()
                .getExtension(Csi.alphaField))
        .isFalse();
  }

  @Test
  void alphaOptionsAreReadableFromOptionMessages() {
    // The option messages themselves expose the extensions when set.
    ServiceOptions smOptions = service("SnapshotMetadata").getOptions();
    assertThat(smOptions.hasExtension(Csi.alphaService)).isTrue();
    MethodOptions getSnapshot =
        service("Controller").findMethodByName("GetSnapshot").getOptions();
    assertThat(getSnapshot.hasExtension(Csi.alphaMethod)).isTrue();
    MessageOptions condition = VolumeCondition.getDescriptor().getOptions();
    assertThat(condition.hasExtension(Csi.alphaMessage)).isTrue();
    FieldOptions nodeExpandSecrets =
        NodeExpandVolumeRequest.getDescriptor().findFieldByName("secrets").getOptions();
    assertThat(nodeExpandSecrets.getExtension(Csi.csiSecret)).isTrue();
    assertThat(nodeExpandSecrets.getExtension(Csi.alphaField)).isTrue();
    EnumValueOptions snsw =
        VolumeCapability.AccessMode.Mode.SINGLE_NODE_SINGLE_WRITER.getValueDescriptor().getOptions();
    assertThat(snsw.hasExtension(Csi.alphaEnumValue)).isTrue();
  }

  @Test
  void postV112VolumeHealthAdditionsAreAbsent() {
    assertThat(FILE.findMessageTypeByName("VolumeHealth")).isNull();
    assertThat(FILE.findEnumTypeByName("VolumeHealthErrorType")).isNull();
    assertThat(service("Node").findMethodByName("NodeGetVolumeHealth")).isNull();
    assertThat(service("Controller").findMethodByName("ControllerListVolumeHealth")).isNull();
  }

  // --- helpers -------------------------------------------------------------

  private static ServiceDescriptor service(String name) {
    ServiceDescriptor s = FILE.findServiceByName(name);
    assertThat(s).as("service " + name).isNotNull();
    return s;
  }

  private static Map<String, Integer> fieldNumbers(Descriptor d) {
    Map<String, Integer> out = new LinkedHashMap<>();
    d.getFields().forEach(f -> out.put(f.getName(), f.getNumber()));
    return out;
  }

  private static Map<String, Integer> enumNumbers(EnumDescriptor e) {
    Map<String, Integer> out = new LinkedHashMap<>();
    e.getValues().forEach(v -> out.put(v.getName(), v.getNumber()));
    return out;
  }

  /** Visits every message in the file, nested ones included (map entries too). */
  private static void forEachMessage(Consumer<Descriptor> visitor) {
    FILE.getMessageTypes().forEach(m -> visit(m, visitor));
  }

  private static void visit(Descriptor d, Consumer<Descriptor> visitor) {
    visitor.accept(d);
    d.getNestedTypes().forEach(n -> visit(n, visitor));
  }

  private static void assertExtension(
      GeneratedExtension<?, ?> extension, int number, String extendee) {
    FieldDescriptor field = extension.getDescriptor();
    assertThat(field.getNumber()).as(field.getFullName()).isEqualTo(number);
    assertThat(field.getContainingType().getFullName()).as(field.getFullName()).isEqualTo(extendee);
    assertThat(field.getType()).as(field.getFullName()).isEqualTo(FieldDescriptor.Type.BOOL);
  }
}
