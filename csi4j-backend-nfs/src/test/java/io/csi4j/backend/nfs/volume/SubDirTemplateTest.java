package io.csi4j.backend.nfs.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csi4j.spi.InvalidParameter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubDirTemplateTest {

    private static final Map<String, String> METADATA = Map.of("csi.storage.k8s.io/pvc/name", "data",
            "csi.storage.k8s.io/pvc/namespace", "team-a", "csi.storage.k8s.io/pv/name", "pvc-123");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "'${volume.name}', pvc-9",
            "'${pvc.metadata.namespace}/${pvc.metadata.name}', team-a/data",
            "'k8s-${pv.metadata.name}', k8s-pvc-123",
            "static/dir, static/dir"})
    void templatesExpandFromTheSidecarsMetadata(String template, String expected) {
        assertThat(SubDirTemplate.expand(template, "pvc-9", METADATA)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[error] {0}")
    @CsvSource(delimiter = '|', value = {
            "../up | must not contain",
            "a/../../b | must not contain",
            "/abs | must be segments",
            "a//b | must be segments",
            "'' | must have 1 to",
            ".csi4j/claims | driver's own directory",
            "${nope} | unknown variable",
            "a b | must be segments"})
    void templatesThatEscapeOrCannotBeFilledAreRefused(String template, String message) {
        assertThatThrownBy(() -> SubDirTemplate.expand(template, "pvc-9", METADATA))
                .isInstanceOf(InvalidParameter.class).hasMessageContaining(message);
    }

    @org.junit.jupiter.api.Test
    void metadataMissingSaysWhichSidecarFlagProvidesIt() {
        assertThatThrownBy(() -> SubDirTemplate.expand("${pvc.metadata.name}", "v", Map.of()))
                .isInstanceOf(InvalidParameter.class).hasMessageContaining("--extra-create-metadata");
    }

    @Test
    void aValueWithASlashWouldAddSegmentsAndIsRefused() {
        assertThatThrownBy(() -> SubDirTemplate.expand("${pvc.metadata.name}", "v",
                Map.of("csi.storage.k8s.io/pvc/name", "a/../../etc")))
                .isInstanceOf(InvalidParameter.class).hasMessageContaining("one path segment");
    }
}
