package io.csi4j.cli.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import csi.v1.CreateVolumeGroupSnapshotRequest;
import csi.v1.DeleteVolumeGroupSnapshotRequest;
import csi.v1.GetVolumeGroupSnapshotRequest;
import io.csi4j.cli.Cli;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParameterException;

/** The requests the group commands build from their arguments, without calling anything. */
class GroupRequestsTest {

    @Test
    void createSendsEverySourceInOrderWithParametersAndSecrets() {
        CreateVolumeGroupSnapshotRequest request = Cli.parse(CreateGroupSnapshotCommand.class, "group", "create-snapshot",
                "grp-a", "--source", "vol-2", "--source", "vol-1", "--param", "class=fast", "--secret", "user=admin").request();

        assertThat(request).isEqualTo(CreateVolumeGroupSnapshotRequest.newBuilder()
                .setName("grp-a")
                .addAllSourceVolumeIds(List.of("vol-2", "vol-1"))
                .putParameters("class", "fast")
                .putSecrets("user", "admin")
                .build());
    }

    @Test
    void aSourceGivenTwiceIsAUsageError() {
        CreateGroupSnapshotCommand command = Cli.parse(CreateGroupSnapshotCommand.class, "group", "create-snapshot", "grp-a",
                "--source", "vol-1", "--source", "vol-2", "--source", "vol-1");

        assertThatThrownBy(command::request).isInstanceOf(ParameterException.class)
                .hasMessage("--source: volume 'vol-1' given twice");
    }

    @Test
    void deleteAndGetSendTheGroupItsMembersAndSecrets() {
        DeleteVolumeGroupSnapshotRequest delete = Cli.parse(DeleteGroupSnapshotCommand.class, "group", "delete-snapshot",
                "grp-1", "--snapshot-id", "snap-1", "--snapshot-id", "snap-2", "--secret", "k=v").request();
        GetVolumeGroupSnapshotRequest get = Cli.parse(GetGroupSnapshotCommand.class, "group", "get-snapshot",
                "grp-1", "--snapshot-id", "snap-1").request();

        assertThat(delete).isEqualTo(DeleteVolumeGroupSnapshotRequest.newBuilder().setGroupSnapshotId("grp-1")
                .addAllSnapshotIds(List.of("snap-1", "snap-2")).putSecrets("k", "v").build());
        assertThat(get).isEqualTo(GetVolumeGroupSnapshotRequest.newBuilder().setGroupSnapshotId("grp-1")
                .addSnapshotIds("snap-1").build());
    }

    @Test
    void aMemberGivenTwiceIsAUsageError() {
        GetGroupSnapshotCommand command = Cli.parse(GetGroupSnapshotCommand.class, "group", "get-snapshot", "grp-1",
                "--snapshot-id", "snap-1", "--snapshot-id", "snap-1");

        assertThatThrownBy(command::request).isInstanceOf(ParameterException.class)
                .hasMessage("--snapshot-id: snapshot 'snap-1' given twice");
    }
}
