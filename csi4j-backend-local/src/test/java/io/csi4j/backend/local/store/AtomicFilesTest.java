package io.csi4j.backend.local.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void writeCreatesTheFile() throws Exception {
        Path target = dir.resolve("a.volume");

        AtomicFiles.write(target, "first".getBytes(StandardCharsets.UTF_8));

        assertThat(target).hasContent("first");
    }

    @Test
    void writeReplacesTheWholeContent() throws Exception {
        Path target = dir.resolve("a.volume");
        AtomicFiles.write(target, "a much longer first version".getBytes(StandardCharsets.UTF_8));

        AtomicFiles.write(target, "second".getBytes(StandardCharsets.UTF_8));

        assertThat(target).hasContent("second");
    }

    @Test
    void writeLeavesNoTemporaryFiles() throws Exception {
        Path target = dir.resolve("a.volume");
        for (int i = 0; i < 20; i++) {
            AtomicFiles.write(target, ("v" + i).getBytes(StandardCharsets.UTF_8));
        }

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void writeOfAnEmptyContentMakesAnEmptyFile() {
        Path target = dir.resolve("empty");

        AtomicFiles.write(target, new byte[0]);

        assertThat(target).isEmptyFile();
    }

    @Test
    void aFailedWriteLeavesTheOldContentAndNoTemporaryFile() throws Exception {
        Path target = dir.resolve("occupied");
        Files.createDirectory(target);
        Files.writeString(target.resolve("inside"), "x"); // a non-empty directory cannot be replaced by a rename

        assertThatThrownBy(() -> AtomicFiles.write(target, "new".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot write occupied");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
        assertThat(target.resolve("inside")).hasContent("x");
    }

    @Test
    void deleteRemovesTheFile() throws Exception {
        Path target = dir.resolve("gone");
        Files.writeString(target, "x");

        AtomicFiles.delete(target);

        assertThat(target).doesNotExist();
    }

    @Test
    void deletingAMissingFileIsNotAnError() {
        AtomicFiles.delete(dir.resolve("never-there"));

        assertThat(dir.resolve("never-there")).doesNotExist();
    }
}
