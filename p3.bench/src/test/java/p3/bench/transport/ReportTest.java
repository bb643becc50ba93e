package p3.bench.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import p3.bench.Json;

class ReportTest {

    static final Report.Setup SETUP = new Report.Setup(1024, 2, 10_000, 20_000, 40_000, "3s", "1s", "500ms");

    static LatencyFigures latency(double p50, double p99) {
        return new LatencyFigures(40_000, 39_998, 0, p50, p50 * 1.5, p99, p99 * 2, p99 * 3, p50 * 1.2, 12, 30, 1400);
    }

    static ThroughputFigures throughput(long frames) {
        return new ThroughputFigures(2.0, frames, 7, 2_000, 0, 1024, 1086, 9.5, 1380, 120, 900);
    }

    @Test
    void ratioIsP3OverBareAndNaNWhenUndefined() {
        assertThat(Report.ratio(60, 40)).isEqualTo(1.5);
        assertThat(Report.ratio(1, 0)).isNaN();
        assertThat(Report.ratio(Double.NaN, 1)).isNaN();
    }

    @Test
    void tableHasARowPerTransportAndTheirRatio() {
        Report r = new Report(SETUP);
        r.add(Impl.P3, latency(60, 200));
        r.add(Impl.BARE, latency(40, 100));
        r.add(Impl.P3, throughput(200_000));
        r.add(Impl.BARE, throughput(400_000));

        String table = r.table();

        assertThat(table).contains("no coordinated omission");
        assertThat(table).containsPattern("p3 link\\s+\\|\\s+60\\.0\\s+200\\.0\\s+400\\.0\\s+600\\.0\\s+72\\.0\\s+2 \\|"
                + "\\s+100,000\\s+102\\.4\\s+7");
        assertThat(table).containsPattern("bare netty\\s+\\|\\s+40\\.0\\s+100\\.0");
        // latency: p3 takes 1.5x and 2x as long; throughput: p3 carries half
        assertThat(table).containsPattern("ratio p3/bare\\s+\\|\\s+1\\.50x\\s+2\\.00x\\s+2\\.00x\\s+2\\.00x\\s+1\\.50x"
                + "\\s+\\|\\s+0\\.50x\\s+0\\.50x");
    }

    @Test
    void aTransportRunAloneHasNoRatioRow() {
        Report r = new Report(SETUP);
        r.add(Impl.BARE, latency(40, 100));

        assertThat(r.table()).contains("bare netty").doesNotContain("ratio p3/bare").doesNotContain("p3 link");
        assertThat(r.json()).doesNotContainKey("ratioP3OverBare");
    }

    @Test
    void jsonCarriesTheFiguresAndTheMethod() {
        Report r = new Report(SETUP);
        r.add(Impl.P3, latency(60, 200));
        r.add(Impl.BARE, latency(40, 100));
        r.add(Impl.P3, throughput(200_000));

        Map<String, Object> json = r.json();
        String text = Json.write(json);

        assertThat(text).contains("\"coordinatedOmission\": \"corrected: recorded against intended send time\"");
        assertThat(text).contains("\"p50Us\": 60", "\"p999Us\": 400", "\"lost\": 2", "\"framesPerSecond\": 100000",
                "\"payloadMBps\": 102.4", "\"wireMBps\": 108.6");
        @SuppressWarnings("unchecked")
        Map<String, Object> ratio = (Map<String, Object>) json.get("ratioP3OverBare");
        assertThat(ratio).containsEntry("p50", 1.5).containsEntry("p99", 2.0).doesNotContainKey("framesPerSecond");
    }

    @Test
    void tlsLanesStandBesideThePlainLinkWithTheirRatiosAndCosts() {
        Report r = new Report(SETUP);
        r.add(Impl.P3, latency(60, 200));
        r.add(Impl.TLS_JDK, latency(90, 300));
        r.add(Impl.TLS_OPENSSL, latency(75, 250));
        r.add(Impl.BARE, latency(40, 100));
        r.add(Impl.P3, throughput(200_000));
        r.add(Impl.TLS_JDK, throughput(100_000));

        String table = r.table();

        assertThat(table).contains("TLS 1.3, both ends authenticated");
        assertThat(table).containsPattern("p3 tls jdk\\s+\\|\\s+90\\.0\\s+300\\.0");
        assertThat(table).containsPattern("ratio p3/bare\\s+\\|\\s+1\\.50x");
        // TLS against the plain link: 1.5x and 1.25x the p50; the JDK's carries half the frames
        assertThat(table).containsPattern("tls jdk/plain\\s+\\|\\s+1\\.50x\\s+1\\.50x.*\\|\\s+0\\.50x");
        assertThat(table).containsPattern("tls openssl/plain\\s+\\|\\s+1\\.25x\\s+1\\.25x");
        // the cost table: every lane's CPU and allocation per frame, and the ratios
        assertThat(table).contains("both event loops");
        assertThat(table).containsPattern("p3 tls openssl\\s+\\|\\s+30\\.00\\s+1400 \\|\\s+-");

        Map<String, Object> json = r.json();
        assertThat(json).containsKeys("ratioP3OverBare", "ratioTlsJdkOverPlain", "ratioTlsOpensslOverPlain");
        @SuppressWarnings("unchecked")
        Map<String, Object> jdk = (Map<String, Object>) json.get("ratioTlsJdkOverPlain");
        assertThat(jdk).containsEntry("p50", 1.5).containsEntry("framesPerSecond", 0.5)
                .containsEntry("latencyLoopCpuPerFrame", 1.0).containsKey("throughputLoopAllocPerFrame");
        @SuppressWarnings("unchecked")
        Map<String, Object> openssl = (Map<String, Object>) json.get("ratioTlsOpensslOverPlain");
        assertThat(openssl).containsEntry("p50", 1.25).doesNotContainKey("framesPerSecond");
        assertThat(Json.write(json)).contains("\"tls-openssl\": {", "\"tls\": \"openssl\"", "\"tls\": \"none\"");
    }
}
