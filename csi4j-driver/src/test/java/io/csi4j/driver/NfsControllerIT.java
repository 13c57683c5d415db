package io.csi4j.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import csi.v1.CapacityRange;
import csi.v1.ControllerGrpc;
import csi.v1.CreateVolumeRequest;
import csi.v1.CreateVolumeResponse;
import csi.v1.DeleteVolumeRequest;
import csi.v1.GetCapacityRequest;
import csi.v1.GetPluginCapabilitiesRequest;
import csi.v1.GetPluginInfoRequest;
import csi.v1.ListVolumesRequest;
import csi.v1.ListVolumesResponse;
import csi.v1.PluginCapability;
import csi.v1.ValidateVolumeCapabilitiesRequest;
import csi.v1.VolumeCapability;
import csi.v1.VolumeCapability.AccessMode.Mode;
import csi.v1.VolumeContentSource;
import io.csi4j.testing.CsiDriverExtension;
import io.csi4j.testing.NfsServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The controller side of NFS volumes through the driver's socket, against a real nfs-ganesha on
 * 127.0.0.1 that the test starts: the driver works through libnfs and mounts nothing.
 */
class NfsControllerIT {

    @RegisterExtension
    static final CsiDriverExtension driver = CsiDriverExtension.serving("--backend", "nfs", "--nfs-timeout", "3");

    static Path dir;
    static NfsServer server;

    @BeforeAll
    static void startServer() throws Exception {
        dir = Files.createTempDirectory("csi4j-nfs-");
        server = NfsServer.start(dir);
    }

    @AfterAll
    static void stopServer() throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            CsiDriverExtension.deleteTree(dir);
        }
    }

    /** A fresh stub per call: a stub's deadline counts from when it was made. */
    static ControllerGrpc.ControllerBlockingStub controller() {
        return driver.driver().controller();
    }

    static Map<String, String> share(String... more) {
        Map<String, String> p = new HashMap<>(Map.of("server", server.host(), "share", server.share(),
                "port", Integer.toString(server.nfsPort()), "mountPort", Integer.toString(server.mountPort())));
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return p;
    }

    static VolumeCapability mount(Mode mode) {
        return VolumeCapability.newBuilder().setMount(VolumeCapability.MountVolume.newBuilder().addMountFlags("nfsvers=3"))
                .setAccessMode(VolumeCapability.AccessMode.newBuilder().setMode(mode)).build();
    }

    static CreateVolumeRequest.Builder request(String name, Map<String, String> params) {
        return CreateVolumeRequest.newBuilder().setName(name).putAllParameters(params)
                .addVolumeCapabilities(mount(Mode.MULTI_NODE_MULTI_WRITER))
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(1L << 30));
    }

    static csi.v1.Volume create(String name, Map<String, String> params) {
        return controller().createVolume(request(name, params).build()).getVolume();
    }

    static void delete(String id) {
        controller().deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(id).build());
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static List<String> exportEntries() throws IOException {
        try (Stream<Path> s = Files.list(server.exportDir())) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void createMakesAWorldWritableSubdirectoryAndARepeatReturnsTheSameId() throws Exception {
        String name = unique("pvc");
        csi.v1.Volume first = create(name, share());
        csi.v1.Volume again = create(name, share());

        assertThat(again.getVolumeId()).isEqualTo(first.getVolumeId());
        assertThat(first.getVolumeId()).startsWith("nfs1#127.0.0.1#" + server.share() + "#" + name + "#");
        Path made = server.exportDir().resolve(name);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made))).isEqualTo("rwxrwxrwx");
        assertThat(first.getCapacityBytes()).isEqualTo(1L << 30);
        assertThat(first.getVolumeContextMap()).containsEntry("capacityEnforced", "false")
                .containsEntry("server", "127.0.0.1").containsEntry("share", server.share()).containsEntry("subDir", name);
        assertThat(first.getAccessibleTopologyList()).isEmpty();

        delete(first.getVolumeId());
        assertThat(made).doesNotExist();
    }

    @Test
    void theSubdirectoryFollowsTheTemplateAndTheModeTheClassAsks() throws Exception {
        String claim = unique("data");
        csi.v1.Volume v = create(unique("pvc"), share("subDir", "${pvc.metadata.namespace}/${pvc.metadata.name}",
                "mountPermissions", "0750", "csi.storage.k8s.io/pvc/namespace", "team-a",
                "csi.storage.k8s.io/pvc/name", claim, "csi.storage.k8s.io/pv/name", "pv-x"));
        Path made = server.exportDir().resolve("team-a").resolve(claim);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(made))).isEqualTo("rwxr-x---");
        delete(v.getVolumeId());
        assertThat(made).doesNotExist();
    }

    @Test
    void aTemplateThatWouldEscapeTheShareIsRefusedAndTouchesNothing() throws Exception {
        List<String> before = exportEntries();
        for (String template : List.of("../outside", "/abs", "a/../../b", "${pvc.metadata.name}", ".csi4j/claims",
                "${no.such.variable}")) {
            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                    () -> create(unique("pvc"), share("subDir", template)));
            assertThat(e.getStatus().getCode()).as(template).isEqualTo(Status.Code.INVALID_ARGUMENT);
        }
        assertThat(exportEntries()).isEqualTo(before);
    }

    @Test
    void aTemplateThatGivesTwoVolumesOneDirectoryIsRefused() {
        String fixed = unique("shared-dir");
        csi.v1.Volume a = create(unique("pvc"), share("subDir", fixed));

        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> create(unique("pvc"), share("subDir", fixed)));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
        assertThat(e.getStatus().getDescription()).contains("already holds volume");
        delete(a.getVolumeId());
    }

    @Test
    void deleteRemovesATreeOfAnyDepthAndARepeatOrAnUnknownIdSucceeds() throws Exception {
        csi.v1.Volume v = create(unique("pvc"), share());
        Path deep = server.exportDir().resolve(v.getVolumeContextMap().get("subDir"));
        for (int i = 0; i < 150; i++) {
            deep = Files.createDirectory(deep.resolve("d"));
            Files.writeString(deep.resolve("f"), "x");
            Files.createSymbolicLink(deep.resolve("l"), Path.of("/etc"));
        }
        delete(v.getVolumeId());
        delete(v.getVolumeId());
        delete("nfs1#127.0.0.1#" + server.share() + "#never-made#" + server.nfsPort() + "#" + server.mountPort()
                + "#delete#0123456789abcdef");
        delete("not-an-id-of-ours");

        assertThat(server.exportDir().resolve(v.getVolumeContextMap().get("subDir"))).doesNotExist();
        assertThat(Path.of("/etc/hostname")).exists(); // symlinks were removed, never followed
    }

    @ParameterizedTest
    @EnumSource(names = {"retain", "archive"})
    void onDeleteRetainKeepsAndArchiveRenamesTheDirectory(OnDeleteCase onDelete) throws Exception {
        String name = unique("pvc");
        csi.v1.Volume v = create(name, share("onDelete", onDelete.name()));
        Files.writeString(server.exportDir().resolve(name).resolve("keep"), "data");
        delete(v.getVolumeId());

        if (onDelete == OnDeleteCase.retain) {
            assertThat(server.exportDir().resolve(name).resolve("keep")).hasContent("data");
        } else {
            assertThat(server.exportDir().resolve(name)).doesNotExist();
            assertThat(exportEntries()).anyMatch(e -> e.matches("archived-" + name + "-\\d{8}T\\d{6}Z"));
        }
    }

    enum OnDeleteCase { retain, archive }

    @Test
    void aCloneCopiesTheSourceDirectory() throws Exception {
        csi.v1.Volume source = create(unique("src"), share());
        Path src = server.exportDir().resolve(source.getVolumeContextMap().get("subDir"));
        Files.createDirectories(src.resolve("a/b"));
        Files.writeString(src.resolve("a/b/file"), "cloned");
        Files.createSymbolicLink(src.resolve("link"), Path.of("a/b/file"));

        CreateVolumeResponse clone = controller().createVolume(request(unique("clone"), share())
                .setVolumeContentSource(VolumeContentSource.newBuilder()
                        .setVolume(VolumeContentSource.VolumeSource.newBuilder().setVolumeId(source.getVolumeId())))
                .build());
        Path copy = server.exportDir().resolve(clone.getVolume().getVolumeContextMap().get("subDir"));

        assertThat(copy.resolve("a/b/file")).hasContent("cloned");
        assertThat(Files.readSymbolicLink(copy.resolve("link"))).isEqualTo(Path.of("a/b/file"));
        assertThat(clone.getVolume().getContentSource().getVolume().getVolumeId()).isEqualTo(source.getVolumeId());
        delete(clone.getVolume().getVolumeId());
        delete(source.getVolumeId());
    }

    @Test
    void capacityIsTheExportsFreeSpace() throws Exception {
        long available = controller().getCapacity(GetCapacityRequest.newBuilder().putAllParameters(share()).build())
                .getAvailableCapacity();
        long local = Files.getFileStore(server.exportDir()).getUsableSpace();

        assertThat(available).isPositive();
        assertThat((double) Math.abs(available - local)).isLessThan(local * 0.05);
    }

    @Test
    void listVolumesPagesThroughTheVolumesItMade() {
        List<String> ids = Stream.of("l1", "l2", "l3").map(n -> create(unique(n), share()).getVolumeId()).toList();
        ListVolumesResponse first = controller().listVolumes(ListVolumesRequest.newBuilder().setMaxEntries(2).build());
        assertThat(first.getEntriesList()).hasSize(2);
        assertThat(first.getNextToken()).isNotEmpty();
        List<String> seen = new java.util.ArrayList<>(first.getEntriesList().stream().map(e -> e.getVolume().getVolumeId()).toList());
        String token = first.getNextToken();
        while (!token.isEmpty()) {
            ListVolumesResponse next = controller().listVolumes(ListVolumesRequest.newBuilder().setMaxEntries(2)
                    .setStartingToken(token).build());
            next.getEntriesList().forEach(e -> seen.add(e.getVolume().getVolumeId()));
            token = next.getNextToken();
        }
        assertThat(seen).doesNotHaveDuplicates().containsAll(ids);
        ids.forEach(NfsControllerIT::delete);
    }

    @Test
    void aRestartedControllerStillListsTheVolumesItMade() throws Exception {
        Path own = Files.createTempDirectory("csi4j-nfs-restart-");
        try {
            String id;
            try (io.csi4j.testing.DriverProcess first = Drivers.start(own, "--backend", "nfs", "--nfs-timeout", "3")) {
                id = first.controller().createVolume(request(unique("kept"), share()).build()).getVolume().getVolumeId();
            }
            try (io.csi4j.testing.DriverProcess second = Drivers.start(own, "--backend", "nfs", "--nfs-timeout", "3")) {
                assertThat(second.controller().listVolumes(ListVolumesRequest.getDefaultInstance()).getEntriesList())
                        .extracting(e -> e.getVolume().getVolumeId()).contains(id);
                second.controller().deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(id).build());
            }
        } finally {
            CsiDriverExtension.deleteTree(own);
        }
    }

    @Test
    void blockAccessIsInvalidAndValidationSaysWhy() {
        VolumeCapability block = VolumeCapability.newBuilder().setBlock(VolumeCapability.BlockVolume.getDefaultInstance())
                .setAccessMode(VolumeCapability.AccessMode.newBuilder().setMode(Mode.SINGLE_NODE_WRITER)).build();
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> controller().createVolume(
                CreateVolumeRequest.newBuilder().setName(unique("blk")).putAllParameters(share())
                        .addVolumeCapabilities(block).build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);

        csi.v1.Volume v = create(unique("pvc"), share());
        var validated = controller().validateVolumeCapabilities(ValidateVolumeCapabilitiesRequest.newBuilder()
                .setVolumeId(v.getVolumeId()).addVolumeCapabilities(block).build());
        assertThat(validated.hasConfirmed()).isFalse();
        assertThat(validated.getMessage()).contains("block");
        for (Mode mode : List.of(Mode.SINGLE_NODE_WRITER, Mode.MULTI_NODE_READER_ONLY, Mode.MULTI_NODE_MULTI_WRITER,
                Mode.SINGLE_NODE_MULTI_WRITER)) {
            assertThat(controller().validateVolumeCapabilities(ValidateVolumeCapabilitiesRequest.newBuilder()
                    .setVolumeId(v.getVolumeId()).addVolumeCapabilities(mount(mode)).build()).hasConfirmed()).as(mode.name()).isTrue();
        }
        delete(v.getVolumeId());
    }

    @Test
    void aMissingServerOrShareIsInvalid() {
        for (Map<String, String> params : List.of(Map.of("share", "/x"), Map.of("server", "127.0.0.1"),
                Map.of("server", "a b", "share", "/x"), Map.of("server", "h", "share", "rel"), share("bogus", "1"))) {
            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                    () -> create(unique("pvc"), params));
            assertThat(e.getStatus().getCode()).as(params.toString()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        }
    }

    @Test
    void aPathTheServerDoesNotExportIsPermissionDenied() {
        // The MOUNT protocol answers MNT3ERR_ACCES for a path that is not exported (or not to us).
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> create(unique("pvc"), share("share", "/no/such/export")));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(e.getStatus().getDescription()).contains("/no/such/export");
    }

    @Test
    void aServerThatDoesNotAnswerIsUnavailableWithinTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String port = Integer.toString(silent.getLocalPort());
            long start = System.nanoTime();
            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> create(unique("pvc"),
                    Map.of("server", "127.0.0.1", "share", "/x", "port", port, "mountPort", port)));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(System.nanoTime() - start).isLessThan(20_000_000_000L);
        }
    }

    @Test
    void theDriverNamesItselfForNfsAndClaimsNoTopology() {
        var identity = driver.driver().identity();
        assertThat(identity.getPluginInfo(GetPluginInfoRequest.getDefaultInstance()).getName()).isEqualTo("nfs.csi4j.io");
        assertThat(identity.getPluginCapabilities(GetPluginCapabilitiesRequest.getDefaultInstance()).getCapabilitiesList())
                .extracting(PluginCapability::getService).extracting(PluginCapability.Service::getType)
                .contains(PluginCapability.Service.Type.CONTROLLER_SERVICE)
                .doesNotContain(PluginCapability.Service.Type.VOLUME_ACCESSIBILITY_CONSTRAINTS);
    }
}
