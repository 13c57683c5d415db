package io.csi4j.bench.run;

/** One unit of work of a workload; throws {@link CallFailed} when one of its calls failed. */
@FunctionalInterface
public interface Operation {

    /**
     * @param name  a name no other operation of the run has, for what it creates
     * @param index its number in its phase, from 0
     */
    void run(Csi csi, String name, long index);
}
