package io.csi4j.linux;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Parsing {@code /proc/self/mountinfo}: done by every check of what is mounted where. A node
 * running many pods has hundreds or thousands of mounts, so the table is made up at those sizes
 * (lines shaped like a kubelet's: bind mounts of pod volumes, escaped spaces, optional fields).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MountTableBenchmark {

    @Param({"50", "1000"})
    int mounts;

    private String text;

    @Setup
    public void table() {
        StringBuilder table = new StringBuilder();
        table.append("21 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw\n");
        for (int i = 0; i < mounts; i++) {
            table.append(100 + i).append(" 21 7:").append(i % 256)
                    .append(" / /var/lib/kubelet/pods/").append(Integer.toHexString(0x10000 + i))
                    .append("-pod/volumes/kubernetes.io~csi/pvc\\040").append(i)
                    .append("/mount rw,relatime shared:").append(i + 2)
                    .append(" master:1 - ext4 /dev/loop").append(i).append(" rw,seclabel\n");
        }
        text = table.toString();
    }

    @Benchmark
    public MountTable parse() {
        return MountTable.parse(text);
    }
}
