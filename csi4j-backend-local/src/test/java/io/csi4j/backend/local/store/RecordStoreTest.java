package io.csi4j.backend.local.store;

import io.csi4j.backend.local.volume.LocalVolumeId;
import io.csi4j.backend.local.volume.VolumeType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordStoreTest {

    @TempDir
    Path dir;

    static VolumeRecord record(String state) {
        return new VolumeRecord(LocalVolumeId.random("node-1"), "pvc-1", state, VolumeType.IMAGE, 1L << 30,
                false, "ext4", 1L << 30, true, 0,
                Map.of("type", "image", "csi.storage.k8s.io/pvc/name", "data = x:y\\z"));
    }

    @Test
    void aRecordSurvivesARoundTripThroughProperties() {
        VolumeRecord record = record(VolumeRecord.READY);

        assertThat(VolumeRecord.fromProperties(record.toProperties())).isEqualTo(record);
    }

    @Test
    void aDirectoryRecordSurvivesARoundTripThroughProperties() {
        VolumeRecord record = new VolumeRecord(LocalVolumeId.random("n"), "d", VolumeRecord.CREATING,
                VolumeType.DIRECTORY, 4096, false, "", 0, false, 0, Map.of());

        assertThat(VolumeRecord.fromProperties(record.toProperties())).isEqualTo(record);
    }

    @Test
    void withStateChangesOnlyTheState() {
        VolumeRecord record = record(VolumeRecord.CREATING);

        VolumeRecord ready = record.withState(VolumeRecord.READY);

        assertThat(ready.state()).isEqualTo(VolumeRecord.READY);
        assertThat(ready.withState(VolumeRecord.CREATING)).isEqualTo(record);
    }

    @Test
    void anUnknownRecordFormatIsRefused() {
        Properties properties = record(VolumeRecord.READY).toProperties();
        properties.setProperty("format", "2");

        assertThatThrownBy(() -> VolumeRecord.fromProperties(properties))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown record format 2");
    }

    @Test
    void saveWritesOneFileNamedByTheUuidAndLoadAllReadsItBack() throws Exception {
        RecordStore<VolumeRecord> store = RecordStore.volumes(dir);
        VolumeRecord record = record(VolumeRecord.READY);

        store.save(record);

        assertThat(dir.resolve(record.id().uuid() + ".volume")).isRegularFile();
        assertThat(store.loadAll()).containsExactly(record);
    }

    @Test
    void saveReplacesTheRecord() throws Exception {
        RecordStore<VolumeRecord> store = RecordStore.volumes(dir);
        VolumeRecord record = record(VolumeRecord.CREATING);
        store.save(record);

        store.save(record.withState(VolumeRecord.READY));

        assertThat(store.loadAll()).containsExactly(record.withState(VolumeRecord.READY));
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).hasSize(1);
        }
    }

    @Test
    void removeDeletesTheRecordAndIsIdempotent() throws Exception {
        RecordStore<VolumeRecord> store = RecordStore.volumes(dir);
        VolumeRecord record = record(VolumeRecord.READY);
        store.save(record);

        store.remove(record.id().uuid());
        store.remove(record.id().uuid());

        assertThat(store.loadAll()).isEmpty();
    }

    @Test
    void loadAllRemovesTemporaryLeftoversAndSkipsBrokenAndForeignFiles() throws Exception {
        RecordStore<VolumeRecord> store = RecordStore.volumes(dir);
        VolumeRecord good = record(VolumeRecord.READY);
        store.save(good);
        Files.writeString(dir.resolve(good.id().uuid() + ".volume.tmp-123"), "half written");
        Files.writeString(dir.resolve("0123456789abcdef0123456789abcdef.volume"), "format=1\nid=garbage\n");
        Files.writeString(dir.resolve("fedcba9876543210fedcba9876543210.volume"), "format=1\nbad=\\uZZZZ\n");
        Files.writeString(dir.resolve("README"), "not a record");

        assertThat(store.loadAll()).containsExactly(good);
        assertThat(dir.resolve(good.id().uuid() + ".volume.tmp-123")).doesNotExist();
        assertThat(dir.resolve("README")).exists();
    }

    @Test
    void loadAllSkipsARecordThatCannotBeRead() throws Exception {
        RecordStore<VolumeRecord> store = RecordStore.volumes(dir);
        VolumeRecord good = record(VolumeRecord.READY);
        store.save(good);
        Files.createDirectory(dir.resolve("0123456789abcdef0123456789abcdef.volume")); // read(2) fails: EISDIR

        assertThat(store.loadAll()).containsExactly(good);
    }

    @Test
    void loadAllSkipsARecordWithoutAState() throws Exception {
        RecordStore<VolumeRecord> store = RecordStore.volumes(dir);
        VolumeRecord good = record(VolumeRecord.READY);
        store.save(good);
        Properties stateless = record(VolumeRecord.READY).toProperties();
        stateless.remove("state");
        try (var out = Files.newOutputStream(dir.resolve("0123456789abcdef0123456789abcdef.volume"))) {
            stateless.store(out, null);
        }

        assertThat(store.loadAll()).containsExactly(good);
    }
}
