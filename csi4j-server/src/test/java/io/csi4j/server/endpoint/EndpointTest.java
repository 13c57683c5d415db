package io.csi4j.server.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EndpointTest {

    private static final String USE = "; use unix:///abs/path or tcp://host:port";

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("unix scheme with an absolute path", "unix:///run/csi/csi.sock",
                        new Endpoint.Unix(Path.of("/run/csi/csi.sock"))),
                Arguments.of("bare absolute path", "/var/lib/kubelet/plugins/local.csi4j.io/csi.sock",
                        new Endpoint.Unix(Path.of("/var/lib/kubelet/plugins/local.csi4j.io/csi.sock"))),
                Arguments.of("unix path is normalized", "unix:///run/csi/../csi//./csi.sock",
                        new Endpoint.Unix(Path.of("/run/csi/csi.sock"))),
                Arguments.of("tcp host and port", "tcp://localhost:50051", new Endpoint.Tcp("localhost", 50051)),
                Arguments.of("tcp ipv4 address", "tcp://127.0.0.1:10000", new Endpoint.Tcp("127.0.0.1", 10000)),
                Arguments.of("tcp bracketed ipv6 address", "tcp://[::1]:50051", new Endpoint.Tcp("::1", 50051)),
                Arguments.of("tcp port 0 picks a free port", "tcp://localhost:0", new Endpoint.Tcp("localhost", 0)),
                Arguments.of("tcp highest port", "tcp://localhost:65535", new Endpoint.Tcp("localhost", 65535)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void validEndpointsParseToTheirAddress(String name, String text, Endpoint expected) {
        assertThat(Endpoint.parse(text)).isEqualTo(expected);
    }

    static Stream<Arguments> invalid() {
        String tooLong = "/" + "a".repeat(107);
        return Stream.of(
                Arguments.of("empty", "", "the endpoint is empty" + USE),
                Arguments.of("blank", "   ", "the endpoint is empty" + USE),
                Arguments.of("relative unix path", "unix://rel/x",
                        "unix endpoints need an absolute path, as in unix:///run/csi/csi.sock: unix://rel/x"),
                Arguments.of("unix scheme without a path", "unix://",
                        "unix endpoints need an absolute path, as in unix:///run/csi/csi.sock: unix://"),
                Arguments.of("unknown scheme http", "http://x", "unknown endpoint scheme 'http'" + USE),
                Arguments.of("unknown scheme with nothing after it", "foo://", "unknown endpoint scheme 'foo'" + USE),
                Arguments.of("relative bare path", "run/csi.sock", "not an endpoint: 'run/csi.sock'" + USE),
                Arguments.of("unix with a single slash", "unix:/run/csi.sock",
                        "not an endpoint: 'unix:/run/csi.sock'" + USE),
                Arguments.of("missing port", "tcp://localhost",
                        "a tcp endpoint needs a port: tcp://HOST:PORT, not tcp://localhost"),
                Arguments.of("missing port after an ipv6 address", "tcp://[::1]",
                        "a tcp endpoint needs a port: tcp://HOST:PORT, not tcp://[::1]"),
                Arguments.of("empty port", "tcp://localhost:", "not a port number in tcp://localhost:"),
                Arguments.of("port is not a number", "tcp://localhost:http", "not a port number in tcp://localhost:http"),
                Arguments.of("port above 65535", "tcp://localhost:65536", "port out of range 0-65535: 65536"),
                Arguments.of("negative port", "tcp://localhost:-1", "port out of range 0-65535: -1"),
                Arguments.of("missing host", "tcp://:50051", "a tcp endpoint needs a host: tcp://HOST:PORT"),
                Arguments.of("socket path of 108 bytes", "unix://" + tooLong,
                        "the socket path is longer than the 107 bytes a unix socket allows: " + tooLong),
                Arguments.of("root is not a socket file", "unix:///",
                        "the socket path must name a file, not the root directory: /"));
    }

    @ParameterizedTest(name = "[error] {0}")
    @MethodSource("invalid")
    void invalidEndpointsAreRefusedWithAMessageSayingWhatIsWrong(String name, String text, String message) {
        assertThatThrownBy(() -> Endpoint.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void aMissingEndpointIsRefusedAsEmpty() {
        assertThatThrownBy(() -> Endpoint.parse(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the endpoint is empty" + USE);
    }

    @Test
    void aSocketPathOfExactly107BytesIsAccepted() {
        String path = "/" + "a".repeat(106);

        assertThat(Endpoint.parse("unix://" + path)).isEqualTo(new Endpoint.Unix(Path.of(path)));
        assertThat(Endpoint.Unix.MAX_PATH_BYTES).isEqualTo(107);
    }

    @Test
    void theSocketPathLimitCountsBytesNotCharacters() {
        // 1 + 2 * 54 = 109 bytes in UTF-8, but only 55 characters
        String path = "/" + "\u00e9".repeat(54);

        assertThatThrownBy(() -> Endpoint.parse(path))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the socket path is longer than the 107 bytes a unix socket allows: " + path);
    }

    @Test
    void aUnixEndpointBuiltDirectlyMustBeAbsolute() {
        assertThatThrownBy(() -> new Endpoint.Unix(Path.of("run/csi.sock")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the socket path must be absolute: run/csi.sock");
    }

    @Test
    void endpointsPrintAsTheyAreWritten() {
        assertThat(Endpoint.parse("/run/csi/csi.sock")).hasToString("unix:///run/csi/csi.sock");
        assertThat(Endpoint.parse("tcp://localhost:50051")).hasToString("tcp://localhost:50051");
        assertThat(Endpoint.parse("tcp://[::1]:50051")).hasToString("tcp://[::1]:50051");
    }
}
