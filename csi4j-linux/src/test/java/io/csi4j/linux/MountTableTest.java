package io.csi4j.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MountTableTest {

    @Test
    void parsesTheExampleOfProc5() {
        MountInfo m = MountTable.parseLine(
                "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue");
        assertThat(m).isEqualTo(new MountInfo(36, 35, 98, 0, "/mnt1", Path.of("/mnt2"), "rw,noatime",
                List.of("master:1"), "ext3", "/dev/root", "rw,errors=continue"));
        assertThat(m.readOnly()).isFalse();
        assertThat(m.hasOption("noatime")).isTrue();
        assertThat(m.hasOption("atime")).isFalse();
        assertThat(m.superOption("errors")).contains("continue");
        assertThat(m.hasSuperOption("rw")).isTrue();
        assertThat(m.hasSuperOption("err")).isFalse();
        assertThat(m.device()).isEqualTo("98:0");
    }

    @Test
    void takesNoneOrManyOptionalFields() {
        assertThat(MountTable.parseLine("27 1 254:0 / / ro,relatime - ext4 /dev/vda rw,discard").optionalFields())
                .isEmpty();
        MountInfo m = MountTable.parseLine(
                "60 27 0:50 / /var/lib/kubelet rw shared:5 master:3 propagate_from:2 unbindable - tmpfs tmpfs rw");
        assertThat(m.optionalFields()).containsExactly("shared:5", "master:3", "propagate_from:2", "unbindable");
        assertThat(m.fsType()).isEqualTo("tmpfs");
        assertThat(m.superOptions()).isEqualTo("rw");
    }

    @Test
    void undoesOctalEscapesInPathsAndSource() {
        MountInfo m = MountTable.parseLine("88 27 0:61 /source\\040dir /tmp/with\\040space\\011tab\\134back\\012nl"
                + " rw,noexec - tmpfs my\\040tmpfs rw,size=1024k");
        assertThat(m.root()).isEqualTo("/source dir");
        assertThat(m.mountPoint()).isEqualTo(Path.of("/tmp/with space\ttab\\back\nnl"));
        assertThat(m.source()).isEqualTo("my tmpfs");
        assertThat(m.superOption("size")).contains("1024k");
    }

    @Test
    void keepsBackslashesThatAreNoEscape() {
        assertThat(unescape("a\\9b\\04")).isEqualTo("a\\9b\\04");
        assertThat(unescape("x\\040")).isEqualTo("x ");
        assertThat(unescape("é\\040ü")).isEqualTo("é ü");
        assertThat(unescape("\\134040")).isEqualTo("\\040");
        // Only the given range counts.
        assertThat(MountTable.unescape("ab\\040", 0, 4)).isEqualTo("ab\\0");
    }

    private static String unescape(String s) {
        return MountTable.unescape(s, 0, s.length());
    }

    @Test
    void unescapesOptionValuesOnlyWhenAskedFor() {
        MountInfo m = MountTable.parseLine(
                "90 27 0:70 / /merged rw - overlay overlay rw,lowerdir=/a\\054b:/c,upperdir=/u,workdir=/w");
        assertThat(m.superOption("lowerdir")).contains("/a,b:/c");
        assertThat(m.superOption("workdir")).contains("/w");
        assertThat(m.superOption("xino")).isEmpty();
    }

    @Test
    void readsAnEmptySource() {
        MountInfo m = MountTable.parseLine("50 27 0:45 / /x rw,nosuid - fuse.foo  rw,user_id=0");
        assertThat(m.fsType()).isEqualTo("fuse.foo");
        assertThat(m.source()).isEmpty();
        assertThat(m.superOption("user_id")).contains("0");
    }

    @ParameterizedTest(name = "[error] {0}")
    @ValueSource(strings = {"", "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1", "x 35 98:0 / / rw - ext4 /dev/a rw",
            "36 35 98 / / rw - ext4 /dev/a rw", "36 35 98:0 / / rw - ext4"})
    void rejectsMalformedLines(String line) {
        assertThatThrownBy(() -> MountTable.parseLine(line)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a mountinfo line");
    }

    private static final String TABLE = """
            1 0 254:0 / / rw - ext4 /dev/vda rw
            20 1 0:20 / /a rw - tmpfs one rw
            21 20 0:21 / /a rw - tmpfs two rw
            22 21 0:22 / /a/b rw - tmpfs three rw

            23 1 0:23 / /ab rw - tmpfs four rw
            """;

    @Test
    void findsTheTopmostOfStackedMounts() {
        MountTable table = MountTable.parse(TABLE);
        assertThat(table.mounts()).hasSize(5);
        assertThat(table.find(Path.of("/a"))).get().extracting(MountInfo::source).isEqualTo("two");
        assertThat(table.find(Path.of("/a/../a/"))).get().extracting(MountInfo::source).isEqualTo("two");
        assertThat(table.find(Path.of("/a/c"))).isEmpty();
        assertThat(table.isMountPoint(Path.of("/a/b"))).isTrue();
        assertThat(table.isMountPoint(Path.of("/a/b/c"))).isFalse();
    }

    @Test
    void findsTheMountHoldingAPathAndTheMountsBelowOne() {
        MountTable table = MountTable.parse(TABLE);
        assertThat(table.containing(Path.of("/a/b/c/d"))).get().extracting(MountInfo::source).isEqualTo("three");
        assertThat(table.containing(Path.of("/a/x"))).get().extracting(MountInfo::source).isEqualTo("two");
        assertThat(table.containing(Path.of("/abc"))).get().extracting(MountInfo::source).isEqualTo("/dev/vda");
        assertThat(table.under(Path.of("/a"))).extracting(MountInfo::source).containsExactly("one", "two", "three");
        assertThat(table.under(Path.of("/nothing"))).isEmpty();
    }

    @Test
    void readsThisProcesssTable() throws Exception {
        MountTable table = MountTable.read();
        assertThat(table.find(Path.of("/"))).isPresent();
        assertThat(table.find(Path.of("/proc"))).get().extracting(MountInfo::fsType).isEqualTo("proc");
        assertThat(table.containing(Path.of("/proc/self"))).get().extracting(MountInfo::fsType).isEqualTo("proc");
    }

    @Test
    void parsesThousandsOfLinesQuickly() {
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            big.append(i + 100).append(" 1 0:").append(i).append(" / /var/lib/kubelet/pods/")
                    .append(i).append("/volumes/kubernetes.io~csi/pvc-").append(i)
                    .append("/mount rw,relatime shared:1 - ext4 /dev/loop").append(i).append(" rw\n");
        }
        String text = big.toString();
        for (int round = 0; round < 20; round++) {
            MountTable.parse(text); // warm up
        }
        long start = System.nanoTime();
        MountTable table = MountTable.parse(text);
        long micros = (System.nanoTime() - start) / 1000;
        assertThat(table.mounts()).hasSize(5000);
        assertThat(micros).as("µs for 5000 lines").isLessThan(200_000);
    }
}
