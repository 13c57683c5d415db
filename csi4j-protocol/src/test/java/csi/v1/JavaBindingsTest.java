package csi.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.util.JsonFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Java API names CSI's {@code mutable_parameters} maps {@code mutableParams} (protoc would
 * otherwise emit clashing methods; see src/build/java-bindings.sh). These tests prove the rename
 * stops at the Java method names: the descriptor, the wire and JSON use the spec's names.
 */
class JavaBindingsTest {

    @Test
    void mutableParamsLandInTheSpecsMutableParametersField() throws Exception {
        CreateVolumeRequest request = CreateVolumeRequest.newBuilder()
                .setName("pvc-1")
                .putParameters("type", "image")
                .putMutableParams("iops", "300")
                .build();

        DynamicMessage decoded = DynamicMessage.parseFrom(CreateVolumeRequest.getDescriptor(), request.toByteArray());
        FieldDescriptor parameters = CreateVolumeRequest.getDescriptor().findFieldByName("parameters");
        FieldDescriptor mutable = CreateVolumeRequest.getDescriptor().findFieldByName("mutable_parameters");

        assertThat(parameters.getNumber()).isEqualTo(4);
        assertThat(mutable.getNumber()).isEqualTo(8);
        assertThat((List<?>) decoded.getField(parameters)).hasSize(1).first().asString().contains("image");
        assertThat((List<?>) decoded.getField(mutable)).hasSize(1).first().asString().contains("300");
    }

    @Test
    void jsonUsesTheSpecsFieldNames() throws Exception {
        String json = JsonFormat.printer().print(ValidateVolumeCapabilitiesRequest.newBuilder()
                .setVolumeId("v1").putMutableParams("iops", "300").build());

        assertThat(json).contains("\"mutableParameters\"").doesNotContain("mutableParams\"");

        ValidateVolumeCapabilitiesRequest.Builder parsed = ValidateVolumeCapabilitiesRequest.newBuilder();
        JsonFormat.parser().merge(json, parsed);
        assertThat(parsed.getMutableParamsMap()).containsEntry("iops", "300");
    }

    @Test
    void parametersAndMutableParamsStaySeparateInBuilders() {
        ValidateVolumeCapabilitiesResponse.Confirmed confirmed = ValidateVolumeCapabilitiesResponse.Confirmed.newBuilder()
                .putParameters("a", "1")
                .putMutableParams("b", "2")
                .build();

        assertThat(confirmed.getParametersMap()).containsExactly(java.util.Map.entry("a", "1"));
        assertThat(confirmed.getMutableParamsMap()).containsExactly(java.util.Map.entry("b", "2"));
    }
}
