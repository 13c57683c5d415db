package io.csi4j.bench.run;

import io.csi4j.bench.stats.Latency;
import io.csi4j.bench.stats.Recorder;
import io.csi4j.bench.stats.Report;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One benchmark run: setup, warm-up, the measured phase, then cleanup of everything the journal
 * still lists, whatever happened before (failures, Ctrl-C). Each phase has its own recorder, so
 * the report's main figures are the measured phase's only.
 */
public final class Bench {

    private Bench() {}

    public static Report run(Workload workload, Csi csi, Plan plan, StopSignal stop, Progress progress) {
        Recorder setup = new Recorder();
        Recorder measured = new Recorder();
        Recorder cleanup = new Recorder();
        Runner runner = new Runner(plan.concurrency(), stop);
        Runner.Ran ran = null;
        String failure = "";
        long setupStart = System.nanoTime();
        double setupSeconds = 0;
        double cleanupSeconds;
        long leftBehind;
        try {
            workload.prepare(csi.recordingTo(setup), runner, plan.prefix() + "-s");
            setupSeconds = (System.nanoTime() - setupStart) / 1e9;
            if (plan.warmup() > 0 && !stop.stopped()) {
                runner.run(csi.recordingTo(new Recorder()), plan.prefix() + "-w", new Limit.Count(plan.warmup()), workload,
                        Progress.NONE);
            }
            if (!stop.stopped()) {
                workload.measuring();
                ran = runner.run(csi.recordingTo(measured), plan.prefix() + "-", plan.limit(), workload, progress);
            }
        } catch (CallFailed | SetupFailed e) {
            setupSeconds = (System.nanoTime() - setupStart) / 1e9;
            failure = "setup: " + e.getMessage();
        } finally {
            long cleanupStart = System.nanoTime();
            try {
                new Cleaner(csi.recordingTo(cleanup), plan.concurrency()).clean(csi.journal().leftovers());
                leftBehind = csi.journal().leftovers().pending().size();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the journal " + csi.journal().file(), e);
            }
            cleanupSeconds = (System.nanoTime() - cleanupStart) / 1e9;
        }
        double seconds = ran == null ? 0 : ran.seconds();
        Report.Operations operations = ran == null
                ? new Report.Operations(0, 0, 0, 0, Latency.NONE)
                : new Report.Operations(ran.done(), ran.succeeded(), ran.failed(), seconds > 0 ? ran.done() / seconds : 0,
                        Latency.of(ran.latency()));
        return new Report(workload.name(), plan.endpoint(), plan.prefix(), plan.concurrency(), seconds, operations,
                measured.summary(seconds), workload.blocks(), workload.counters(),
                new Report.Phase(setup.summary(setupSeconds), setupSeconds),
                new Report.Phase(cleanup.summary(cleanupSeconds), cleanupSeconds),
                leftBehind, stop.stopped(), failure);
    }
}
