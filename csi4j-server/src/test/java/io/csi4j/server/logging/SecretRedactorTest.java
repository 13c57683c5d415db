package io.csi4j.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldOptions;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import csi.v1.ControllerModifyVolumeRequest;
import csi.v1.ControllerPublishVolumeRequest;
import csi.v1.CreateSnapshotRequest;
import csi.v1.CreateVolumeRequest;
import csi.v1.Csi;
import csi.v1.NodePublishVolumeRequest;
import csi.v1.NodeStageVolumeRequest;
import csi.v1.NodeUnstageVolumeRequest;
import csi.v1.ProbeRequest;
import csi.v1.VolumeCapability;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SecretRedactorTest {

    private static final String R = SecretRedactor.REDACTED;

    private static final VolumeCapability MOUNT = VolumeCapability.newBuilder()
            .setMount(VolumeCapability.MountVolume.newBuilder().setFsType("ext4"))
            .setAccessMode(VolumeCapability.AccessMode.newBuilder()
                    .setMode(VolumeCapability.AccessMode.Mode.SINGLE_NODE_WRITER))
            .build();

    @Test
    void createVolumeSecretsKeepTheirKeysAndLoseTheirValues() {
        CreateVolumeRequest request = CreateVolumeRequest.newBuilder()
                .setName("pvc-1")
                .addVolumeCapabilities(MOUNT)
                .putParameters("type", "fast")
                .putMutableParams("iops", "3000")
                .putSecrets("username", "admin")
                .putSecrets("password", "hunter2")
                .build();

        CreateVolumeRequest redacted = SecretRedactor.redact(request);

        assertThat(redacted.getSecretsMap()).isEqualTo(Map.of("username", R, "password", R));
        assertThat(redacted.getName()).isEqualTo("pvc-1");
        assertThat(redacted.getParametersMap()).isEqualTo(Map.of("type", "fast"));
        assertThat(redacted.getMutableParamsMap()).isEqualTo(Map.of("iops", "3000"));
        assertThat(redacted.getVolumeCapabilitiesList()).containsExactly(MOUNT);
        assertThat(request.getSecretsMap()).isEqualTo(Map.of("username", "admin", "password", "hunter2"));
    }

    @Test
    void nodeStageSecretsAreRedactedAndContextsKept() {
        NodeStageVolumeRequest request = NodeStageVolumeRequest.newBuilder()
                .setVolumeId("v1")
                .setStagingTargetPath("/var/lib/kubelet/plugins/kubernetes.io/csi/local.csi4j.io/x/globalmount")
                .setVolumeCapability(MOUNT)
                .putPublishContext("device", "/dev/sdb")
                .putVolumeContext("storage.kubernetes.io/csiProvisionerIdentity", "123-local")
                .putSecrets("key", "s3cr3t")
                .build();

        NodeStageVolumeRequest redacted = SecretRedactor.redact(request);

        assertThat(redacted.getSecretsMap()).isEqualTo(Map.of("key", R));
        assertThat(redacted.toBuilder().clearSecrets().build()).isEqualTo(request.toBuilder().clearSecrets().build());
        assertThat(redacted.getVolumeContextMap())
                .isEqualTo(Map.of("storage.kubernetes.io/csiProvisionerIdentity", "123-local"));
        assertThat(redacted.getPublishContextMap()).isEqualTo(Map.of("device", "/dev/sdb"));
    }

    @Test
    void nodePublishSecretsAreRedactedAndPathsKept() {
        NodePublishVolumeRequest request = NodePublishVolumeRequest.newBuilder()
                .setVolumeId("v1")
                .setStagingTargetPath("/staging")
                .setTargetPath("/target")
                .setReadonly(true)
                .putVolumeContext("a", "b")
                .putSecrets("token", "t0k3n")
                .build();

        NodePublishVolumeRequest redacted = SecretRedactor.redact(request);

        assertThat(redacted.getSecretsMap()).isEqualTo(Map.of("token", R));
        assertThat(redacted.getVolumeId()).isEqualTo("v1");
        assertThat(redacted.getTargetPath()).isEqualTo("/target");
        assertThat(redacted.getStagingTargetPath()).isEqualTo("/staging");
        assertThat(redacted.getReadonly()).isTrue();
        assertThat(redacted.getVolumeContextMap()).isEqualTo(Map.of("a", "b"));
    }

    @Test
    void createSnapshotAndModifyVolumeSecretsAreRedacted() {
        CreateSnapshotRequest snapshot = CreateSnapshotRequest.newBuilder()
                .setName("snap-1").setSourceVolumeId("v1")
                .putParameters("class", "daily")
                .putSecrets("password", "hunter2")
                .build();
        ControllerModifyVolumeRequest modify = ControllerModifyVolumeRequest.newBuilder()
                .setVolumeId("v1")
                .putMutableParams("iops", "5000")
                .putSecrets("password", "hunter2")
                .build();

        assertThat(SecretRedactor.redact(snapshot)).isEqualTo(snapshot.toBuilder().putSecrets("password", R).build());
        assertThat(SecretRedactor.redact(modify)).isEqualTo(modify.toBuilder().putSecrets("password", R).build());
    }

    /** Every CSI message with a secret field. */
    static Stream<String> messagesWithSecrets() {
        return allMessageTypes().stream()
                .filter(type -> type.getFields().stream().anyMatch(SecretRedactor::isSecret))
                .map(Descriptor::getName);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messagesWithSecrets")
    void everySecretsMapOfTheProtocolIsRedacted(String typeName) throws ReflectiveOperationException {
        Message prototype = (Message) Class.forName("csi.v1." + typeName).getMethod("getDefaultInstance").invoke(null);
        Descriptor type = prototype.getDescriptorForType();
        FieldDescriptor secrets = type.findFieldByName("secrets");
        Message.Builder builder = prototype.toBuilder();
        builder.addRepeatedField(secrets, mapEntry(builder, secrets, "user", "admin"));
        builder.addRepeatedField(secrets, mapEntry(builder, secrets, "password", "hunter2"));
        FieldDescriptor plain = type.getFields().stream()
                .filter(f -> f.getJavaType() == FieldDescriptor.JavaType.STRING && !f.isRepeated())
                .findFirst().orElseThrow();
        builder.setField(plain, "kept");
        Message request = builder.build();

        Message redacted = SecretRedactor.redact(request);

        assertThat(stringMap(redacted, secrets)).isEqualTo(Map.of("user", R, "password", R));
        assertThat(redacted.getField(plain)).isEqualTo("kept");
        assertThat(redacted.toBuilder().clearField(secrets).build())
                .isEqualTo(request.toBuilder().clearField(secrets).build());
        assertThat(SecretRedactor.format(redacted)).doesNotContain("admin", "hunter2");
    }

    @Test
    void aMessageTypeWithoutSecretsIsReturnedAsTheSameInstance() {
        NodeUnstageVolumeRequest unstage = NodeUnstageVolumeRequest.newBuilder()
                .setVolumeId("v1").setStagingTargetPath("/staging").build();
        ProbeRequest probe = ProbeRequest.getDefaultInstance();

        assertThat(SecretRedactor.redact(unstage)).isSameAs(unstage);
        assertThat(SecretRedactor.redact(probe)).isSameAs(probe);
        assertThat(SecretRedactor.redact(MOUNT)).isSameAs(MOUNT);
    }

    @Test
    void aMessageWhoseSecretsAreUnsetIsUnchanged() {
        CreateVolumeRequest request = CreateVolumeRequest.newBuilder().setName("pvc-1").putParameters("a", "b").build();

        assertThat(SecretRedactor.redact(request)).isEqualTo(request);
    }

    @Test
    void formatShowsKeysAndOtherFieldsButNoSecretValue() {
        CreateVolumeRequest request = CreateVolumeRequest.newBuilder()
                .setName("pvc-1")
                .putParameters("type", "fast")
                .putSecrets("password", "hunter2")
                .build();

        String text = SecretRedactor.format(request);

        assertThat(text)
                .contains("name: \"pvc-1\"")
                .contains("key: \"type\" value: \"fast\"")
                .contains("key: \"password\" value: \"***redacted***\"")
                .doesNotContain("hunter2")
                .doesNotContain("\n");
    }

    @Test
    void isSecretIsTrueForExactlyTheFieldsTheProtocolMarks() {
        List<String> secret = new ArrayList<>();
        for (Descriptor type : allMessageTypes()) {
            for (FieldDescriptor field : type.getFields()) {
                boolean marked = field.getOptions().getExtension(Csi.csiSecret);
                assertThat(SecretRedactor.isSecret(field)).as(field.getFullName()).isEqualTo(marked);
                if (marked) {
                    secret.add(field.getFullName());
                }
            }
        }

        // CSI v1.12.0 defines 19 secret fields, each a map<string, string> named secrets
        assertThat(secret).hasSize(19);
        assertThat(new TreeSet<>(secret)).contains(
                "csi.v1.CreateVolumeRequest.secrets", "csi.v1.NodeStageVolumeRequest.secrets",
                "csi.v1.NodePublishVolumeRequest.secrets", "csi.v1.CreateSnapshotRequest.secrets",
                "csi.v1.GetMetadataDeltaRequest.secrets");
        assertThat(secret).allMatch(name -> name.endsWith(".secrets"));
    }

    @Test
    void holdsSecretsKnowsWhichTypesCanReachASecret() {
        assertThat(SecretRedactor.holdsSecrets(CreateVolumeRequest.getDescriptor())).isTrue();
        assertThat(SecretRedactor.holdsSecrets(ControllerPublishVolumeRequest.getDescriptor())).isTrue();
        assertThat(SecretRedactor.holdsSecrets(VolumeCapability.getDescriptor())).isFalse();
        assertThat(SecretRedactor.holdsSecrets(ProbeRequest.getDescriptor())).isFalse();
    }

    // Nested and non-map secrets: no CSI message has them today, so a test-only protocol file
    // (built at run time on top of csi.proto) exercises those paths of the redactor.

    private static final Descriptor WRAPPER;
    private static final Descriptor PLAIN;

    static {
        FieldOptions secret = FieldOptions.newBuilder().setExtension(Csi.csiSecret, true).build();
        DescriptorProto countersEntry = DescriptorProto.newBuilder()
                .setName("CountersEntry")
                .addField(field("key", 1, FieldDescriptorProto.Type.TYPE_STRING, false))
                .addField(field("value", 2, FieldDescriptorProto.Type.TYPE_INT32, false))
                .setOptions(MessageOptions.newBuilder().setMapEntry(true))
                .build();
        DescriptorProto wrapper = DescriptorProto.newBuilder()
                .setName("Wrapper")
                .addField(field("token", 1, FieldDescriptorProto.Type.TYPE_STRING, false).setOptions(secret))
                .addField(field("tokens", 2, FieldDescriptorProto.Type.TYPE_STRING, true).setOptions(secret))
                .addField(field("key", 3, FieldDescriptorProto.Type.TYPE_BYTES, false).setOptions(secret))
                .addField(field("note", 4, FieldDescriptorProto.Type.TYPE_STRING, false))
                .addField(message("request", 5, ".csi.v1.CreateVolumeRequest", false))
                .addField(message("stages", 6, ".csi.v1.NodeStageVolumeRequest", true))
                .addField(message("child", 7, ".test.Wrapper", false))
                .addField(message("counters", 8, ".test.Wrapper.CountersEntry", true).setOptions(secret))
                .addNestedType(countersEntry)
                .build();
        DescriptorProto plain = DescriptorProto.newBuilder()
                .setName("Plain")
                .addField(field("note", 1, FieldDescriptorProto.Type.TYPE_STRING, false))
                .addField(message("child", 2, ".test.Plain", false))
                .addField(message("capability", 3, ".csi.v1.VolumeCapability", false))
                .build();
        FileDescriptorProto file = FileDescriptorProto.newBuilder()
                .setName("test/redactor_test.proto")
                .setPackage("test")
                .setSyntax("proto3")
                .addDependency(Csi.getDescriptor().getName())
                .addMessageType(wrapper)
                .addMessageType(plain)
                .build();
        try {
            FileDescriptor built = FileDescriptor.buildFrom(file, new FileDescriptor[] {Csi.getDescriptor()});
            WRAPPER = built.findMessageTypeByName("Wrapper");
            PLAIN = built.findMessageTypeByName("Plain");
        } catch (DescriptorValidationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Test
    void secretsAreRedactedAtAnyDepthAndWhateverTheirType() {
        Descriptor entryType = WRAPPER.findNestedTypeByName("CountersEntry");
        Message counter = DynamicMessage.newBuilder(entryType)
                .setField(entryType.findFieldByName("key"), "attempts")
                .setField(entryType.findFieldByName("value"), 5)
                .build();
        Message child = DynamicMessage.newBuilder(WRAPPER)
                .setField(WRAPPER.findFieldByName("token"), "inner-secret")
                .setField(WRAPPER.findFieldByName("note"), "inner note")
                .build();
        Message wrapper = DynamicMessage.newBuilder(WRAPPER)
                .setField(WRAPPER.findFieldByName("token"), "outer-secret")
                .addRepeatedField(WRAPPER.findFieldByName("tokens"), "first-secret")
                .addRepeatedField(WRAPPER.findFieldByName("tokens"), "second-secret")
                .setField(WRAPPER.findFieldByName("key"), ByteString.copyFromUtf8("key-secret"))
                .setField(WRAPPER.findFieldByName("note"), "outer note")
                .setField(WRAPPER.findFieldByName("request"),
                        CreateVolumeRequest.newBuilder().setName("pvc-1").putSecrets("p", "request-secret").build())
                .addRepeatedField(WRAPPER.findFieldByName("stages"),
                        NodeStageVolumeRequest.newBuilder().setVolumeId("v1").putSecrets("p", "stage-secret").build())
                .addRepeatedField(WRAPPER.findFieldByName("stages"),
                        NodeStageVolumeRequest.newBuilder().setVolumeId("v2").build())
                .setField(WRAPPER.findFieldByName("child"), child)
                .addRepeatedField(WRAPPER.findFieldByName("counters"), counter)
                .build();

        Message redacted = SecretRedactor.redact(wrapper);

        assertThat(redacted.getField(WRAPPER.findFieldByName("token"))).isEqualTo(R);
        assertThat(redacted.getField(WRAPPER.findFieldByName("tokens"))).isEqualTo(List.of(R, R));
        assertThat(redacted.hasField(WRAPPER.findFieldByName("key"))).isFalse();
        assertThat(redacted.getField(WRAPPER.findFieldByName("note"))).isEqualTo("outer note");
        Message request = (Message) redacted.getField(WRAPPER.findFieldByName("request"));
        assertThat(CreateVolumeRequest.newBuilder().mergeFrom(request).build())
                .isEqualTo(CreateVolumeRequest.newBuilder().setName("pvc-1").putSecrets("p", R).build());
        @SuppressWarnings("unchecked")
        List<Message> stages = (List<Message>) redacted.getField(WRAPPER.findFieldByName("stages"));
        assertThat(stages).map(m -> NodeStageVolumeRequest.newBuilder().mergeFrom(m).build()).containsExactly(
                NodeStageVolumeRequest.newBuilder().setVolumeId("v1").putSecrets("p", R).build(),
                NodeStageVolumeRequest.newBuilder().setVolumeId("v2").build());
        Message redactedChild = (Message) redacted.getField(WRAPPER.findFieldByName("child"));
        assertThat(redactedChild.getField(WRAPPER.findFieldByName("token"))).isEqualTo(R);
        assertThat(redactedChild.getField(WRAPPER.findFieldByName("note"))).isEqualTo("inner note");
        @SuppressWarnings("unchecked")
        List<Message> counters = (List<Message>) redacted.getField(WRAPPER.findFieldByName("counters"));
        assertThat(counters).hasSize(1);
        assertThat(counters.getFirst().getField(entryType.findFieldByName("key"))).isEqualTo("attempts");
        assertThat(counters.getFirst().getField(entryType.findFieldByName("value"))).isEqualTo(0);
        assertThat(SecretRedactor.format(wrapper)).doesNotContain("-secret").contains("outer note", "attempts");
    }

    @Test
    void aRecursiveTypeWithoutSecretsIsSearchedOnceAndReturnedAsIs() {
        Message inner = DynamicMessage.newBuilder(PLAIN).setField(PLAIN.findFieldByName("note"), "inner").build();
        Message plain = DynamicMessage.newBuilder(PLAIN)
                .setField(PLAIN.findFieldByName("note"), "outer")
                .setField(PLAIN.findFieldByName("child"), inner)
                .setField(PLAIN.findFieldByName("capability"), MOUNT)
                .build();

        assertThat(SecretRedactor.holdsSecrets(PLAIN)).isFalse();
        assertThat(SecretRedactor.holdsSecrets(WRAPPER)).isTrue();
        assertThat(SecretRedactor.redact(plain)).isSameAs(plain);
    }

    // ---- helpers

    private static FieldDescriptorProto.Builder field(String name, int number, FieldDescriptorProto.Type type,
                                                      boolean repeated) {
        return FieldDescriptorProto.newBuilder()
                .setName(name)
                .setNumber(number)
                .setType(type)
                .setLabel(repeated ? FieldDescriptorProto.Label.LABEL_REPEATED : FieldDescriptorProto.Label.LABEL_OPTIONAL);
    }

    private static FieldDescriptorProto.Builder message(String name, int number, String typeName, boolean repeated) {
        return field(name, number, FieldDescriptorProto.Type.TYPE_MESSAGE, repeated).setTypeName(typeName);
    }

    private static Message mapEntry(Message.Builder owner, FieldDescriptor mapField, String key, String value) {
        Message.Builder entry = owner.newBuilderForField(mapField);
        Descriptor entryType = mapField.getMessageType();
        return entry.setField(entryType.findFieldByName("key"), key)
                .setField(entryType.findFieldByName("value"), value)
                .build();
    }

    private static Map<Object, Object> stringMap(Message message, FieldDescriptor mapField) {
        Descriptor entryType = mapField.getMessageType();
        Map<Object, Object> map = new LinkedHashMap<>();
        for (Object item : (List<?>) message.getField(mapField)) {
            Message entry = (Message) item;
            map.put(entry.getField(entryType.findFieldByName("key")), entry.getField(entryType.findFieldByName("value")));
        }
        return map;
    }

    /** Every message type of csi.proto, nested ones included. */
    static List<Descriptor> allMessageTypes() {
        List<Descriptor> all = new ArrayList<>();
        Consumer<Descriptor> walk = new Consumer<>() {
            @Override
            public void accept(Descriptor type) {
                all.add(type);
                type.getNestedTypes().forEach(this);
            }
        };
        Csi.getDescriptor().getMessageTypes().forEach(walk);
        return all;
    }
}
