package p3.bench.mesh;

import java.util.List;

import p3.bench.mesh.RunResult.ClassResult;
import p3.bench.mesh.RunResult.Classes;
import p3.bench.mesh.RunResult.Fault;
import p3.bench.mesh.RunResult.Latency;
import p3.bench.mesh.RunResult.Overhead;
import p3.bench.mesh.RunResult.Rebinds;

/** Runs with made-up figures, for tests of what turns runs into files. */
final class SampleRuns {

    private SampleRuns() {
    }

    /** Audio, video and event each lose {@code lost}, at {@code latency} +/- 1 ms. */
    static RunResult run(String scenario, String ft, Fault fault, long lost, double latency) {
        return new RunResult(scenario, ft, "active", false, "inproc", 42, fault,
                new Classes(cls(lost, latency + 10), cls(lost, latency), cls(lost, latency)),
                new Rebinds(List.of(40.0, 50.0), List.of(900.0)), List.of(12.5, 20.0),
                new Overhead(120_000, 1_500_000, 900, 8_000, 60_000, 300), 3.25, 180.5, 12.0, null, "on");
    }

    static ClassResult cls(long lost, double latency) {
        return new ClassResult(1000, 1000 - lost, lost, 2, 1, new Latency(latency, 1, latency, latency + 3, latency + 9));
    }

    static Fault peers(int level, int count) {
        return new Fault(level, count, FaultKind.PEER);
    }
}
