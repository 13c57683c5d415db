package io.csi4j.bench.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import csi.v1.CreateSnapshotRequest;
import csi.v1.CreateVolumeRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

    @TempDir
    Path dir;

    private static final CreateVolumeRequest TEMPLATE = CreateVolumeRequest.newBuilder().putParameters("type", "image").build();

    @Test
    void aCreateThatNeverAnsweredStaysPendingWithoutAnId() throws IOException {
        try (Journal journal = journal("run")) {
            journal.append(Step.BEGIN, new Made.Volume("run-1"), "");

            assertThat(journal.leftovers().pending()).containsExactly(new Pending(new Made.Volume("run-1"), ""));
        }
    }

    @Test
    void doneKeepsTheIdAndUndoneOrFailedForgetTheObject() throws IOException {
        try (Journal journal = journal("run")) {
            journal.append(Step.BEGIN, new Made.Volume("a b"), "");
            journal.append(Step.DONE, new Made.Volume("a b"), "id with spaces/%");
            journal.append(Step.BEGIN, new Made.Volume("gone"), "");
            journal.append(Step.DONE, new Made.Volume("gone"), "g");
            journal.append(Step.UNDONE, new Made.Volume("gone"), "g");
            journal.append(Step.BEGIN, new Made.Volume("refused"), "");
            journal.append(Step.FAILED, new Made.Volume("refused"), "");
            journal.append(Step.DONE, new Made.Staging("a b", "/staging/a b"), "");

            assertThat(journal.leftovers().pending()).containsExactly(
                    new Pending(new Made.Volume("a b"), "id with spaces/%"),
                    new Pending(new Made.Staging("a b", "/staging/a b"), ""));
        }
    }

    @Test
    void theTemplatesAndEndpointComeBackForCleanup() throws IOException {
        try (Journal journal = journal("run")) {
            Leftovers leftovers = journal.leftovers();

            assertThat(leftovers.endpoint()).isEqualTo("unix:///tmp/x.sock");
            assertThat(leftovers.volumeTemplate()).isEqualTo(TEMPLATE);
        }
    }

    @Test
    void aLineCutShortByACrashIsIgnored() throws IOException {
        Path file;
        try (Journal journal = journal("run")) {
            journal.append(Step.BEGIN, new Made.Volume("v"), "");
            file = journal.file();
        }
        Files.writeString(file, "done snapsh", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        assertThat(Journal.read(file).pending()).containsExactly(new Pending(new Made.Volume("v"), ""));
    }

    @Test
    void aPrefixWhoseJournalExistsCannotStartAnotherRun() throws IOException {
        journal("taken").close();

        assertThatThrownBy(() -> journal("taken")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bench cleanup --prefix taken");
        assertThat(Journal.prefixes(dir)).containsExactly("taken");
    }

    @Test
    void aJournalHeldByARunCannotBeOpenedForCleanup() throws Exception {
        try (Journal journal = journal("live")) {
            // the lock is per process: a second JVM is the honest test of it
            Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), OpenJournal.class.getName(), journal.file().toString())
                    .redirectErrorStream(true).start();
            String output = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(other.waitFor()).isEqualTo(0);
            assertThat(output).contains("is held by a running bench");
        }
    }

    @Test
    void prefixesThatCouldEscapeTheStateDirAreRefused() {
        assertThatThrownBy(() -> Journal.file(dir, "../x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Journal.file(dir, "")).isInstanceOf(IllegalArgumentException.class);
    }

    private Journal journal(String prefix) throws IOException {
        return Journal.create(dir, prefix, "unix:///tmp/x.sock", TEMPLATE, CreateSnapshotRequest.getDefaultInstance());
    }

    /** Tries to open the journal named by its argument, as {@code bench cleanup} would, and prints why it could not. */
    public static final class OpenJournal {
        public static void main(String[] args) throws IOException {
            try (Journal ignored = Journal.open(Path.of(args[0]))) {
                System.out.println("opened");
            } catch (IllegalStateException e) {
                System.out.println(e.getMessage());
            }
        }
    }
}
