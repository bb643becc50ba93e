package p3.bench.transport;

import org.HdrHistogram.Histogram;

/**
 * One-way latency of a run at a steady rate, in microseconds.
 *
 * @param sent                   measured frames the sender offered (warm-up excluded)
 * @param received               of those, how many arrived
 * @param refused                of those, how many the transport refused (full outbound buffer)
 * @param p50Us                  median
 * @param p90Us                  90th percentile
 * @param p99Us                  99th percentile
 * @param p999Us                 99.9th percentile
 * @param maxUs                  largest
 * @param meanUs                 mean
 * @param senderLagP99Us         99th percentile of how late the sender called send after the due time
 *                               (pacing noise, already inside the latencies)
 * @param loopCpuUsPerFrame      CPU time of the transport's event loops per measured frame
 * @param loopAllocBytesPerFrame heap the event loops allocated per measured frame
 */
record LatencyFigures(long sent, long received, long refused, double p50Us, double p90Us, double p99Us, double p999Us, double maxUs,
        double meanUs, double senderLagP99Us, double loopCpuUsPerFrame, double loopAllocBytesPerFrame) {

    long lost() {
        return sent - received;
    }

    /** The figures of a histogram of nanoseconds. */
    static LatencyFigures of(long sent, long refused, Histogram nanos, Histogram senderLagNanos, double loopCpuUs,
            double loopAllocBytes) {
        return new LatencyFigures(sent, nanos.getTotalCount(), refused, us(nanos.getValueAtPercentile(50)),
                us(nanos.getValueAtPercentile(90)), us(nanos.getValueAtPercentile(99)),
                us(nanos.getValueAtPercentile(99.9)), us(nanos.getMaxValue()),
                nanos.getTotalCount() == 0 ? Double.NaN : nanos.getMean() / 1e3,
                us(senderLagNanos.getValueAtPercentile(99)), loopCpuUs, loopAllocBytes);
    }

    private static double us(long nanos) {
        return nanos / 1e3;
    }
}
