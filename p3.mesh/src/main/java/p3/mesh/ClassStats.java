package p3.mesh;

/**
 * What a client measured of one traffic class (report, section IV-C). Latencies are one-way, in
 * milliseconds, from the sensor's send time on a clock shared by the processes of one host.
 *
 * @param trafficClass audio, video or event
 * @param sent         frames the sensors produced for this client (from their counters)
 * @param received     distinct frames that arrived intact
 * @param lost         sent minus received, never negative
 * @param duplicates   frames that arrived again and were not delivered twice
 * @param late         frames that arrived past the deadline
 * @param corrupt      frames whose payload did not check
 * @param mean         mean latency
 * @param stddev       standard deviation of latency (the report's +/- jitter)
 * @param p50          median latency
 * @param p99          99th percentile latency
 * @param max          largest latency
 */
public record ClassStats(String trafficClass, long sent, long received, long lost, long duplicates, long late,
        long corrupt, double mean, double stddev, double p50, double p99, double max) {
}
