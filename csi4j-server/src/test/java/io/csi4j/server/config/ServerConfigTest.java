package io.csi4j.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csi4j.server.endpoint.Endpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerConfigTest {

    private static final Endpoint ENDPOINT = new Endpoint.Unix(Path.of("/run/csi/csi.sock"));

    private static ServerConfig config(int socketMode, Duration grace, Map<String, String> manifest) {
        return new ServerConfig(ENDPOINT, socketMode, grace, Mode.ALL, DriverName.DEFAULT, "test",
                new NodeIdentity("n1"), manifest, java.util.Optional.empty());
    }

    @Test
    void aSocketModeAbove0777IsRefused() {
        assertThatThrownBy(() -> config(01000, Duration.ZERO, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("socket mode must be octal 0000-0777, not 1000");
    }

    @Test
    void aNegativeGracePeriodIsRefused() {
        assertThatThrownBy(() -> config(0660, Duration.ofSeconds(-1), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the shutdown grace period must not be negative");
    }

    @Test
    void theManifestIsCopied() {
        Map<String, String> manifest = new HashMap<>(Map.of("backend", "local"));
        ServerConfig config = config(0660, Duration.ZERO, manifest);

        manifest.put("mode", "all");

        assertThat(config.manifest()).isEqualTo(Map.of("backend", "local"));
        assertThat(config.socketMode()).isEqualTo(0660);
    }
}
