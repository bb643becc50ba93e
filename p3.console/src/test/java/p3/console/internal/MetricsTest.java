package p3.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import p3.mesh.ClassStats;
import p3.mesh.FailureRecord;
import p3.mesh.FtCounters;
import p3.mesh.MeshPeer;
import p3.mesh.PeerCounters;
import p3.mesh.PeerRole;
import p3.mesh.PeerState;
import p3.mesh.RebindKind;
import p3.mesh.StrandStats;
import p3.report.testing.FakePeer;
import p3.transport.Rejection;
import p3.transport.TransportStats;

/** /metrics: every per-class and per-peer figure, in the Prometheus text format. */
class MetricsTest {

    static List<MeshPeer> mesh() {
        FakePeer client = new FakePeer("client", PeerRole.CLIENT, "0");
        client.classes = List.of(new ClassStats("audio", 100, 98, 2, 1, 3, 0, 2.0, 0.5, 1.5, 4.0, 9.0),
                new ClassStats("video", 50, 50, 0, 0, 0, 0, 3.0, 0.5, 2.5, 6.0, 7.0));
        FakePeer sp = new FakePeer("sp03", PeerRole.SUPER, "01");
        sp.links = List.of("up a", "down b");
        sp.ft = new FtCounters("active", 7, 40, 4000, 30, 2, 1, 0);
        sp.counters = new PeerCounters(10, 1000, 5, 500, 3, 1);
        sp.strand = new StrandStats(2, 100, 1, 4, false);
        sp.failures = List.of(new FailureRecord("sp03", "sp01", "link", System.nanoTime() - 2_000_000_000L,
                RebindKind.FAST, System.nanoTime() - 1_998_000_000L), new FailureRecord("sp03", "sp04", "view",
                        System.nanoTime() - 1_000_000_000L, null, 0));
        sp.state = PeerState.REBINDING;
        return List.of(client, sp);
    }

    static TransportStats transport() {
        return new TransportStats() {
            public long framesSent() { return 1; }
            public long bytesSent() { return 2; }
            public long framesReceived() { return 3; }
            public long bytesReceived() { return 4; }
            public long framesRefused() { return 5; }
            public long linksOpened() { return 6; }
            public long linksClosed() { return 7; }
            public Map<Rejection, Long> rejections() {
                Map<Rejection, Long> m = new EnumMap<>(Rejection.class);
                m.put(Rejection.BAD_MAGIC, 9L);
                return m;
            }
        };
    }

    @Test
    void listsEveryClassAndPeerFigure() {
        String text = Metrics.write(mesh(), transport(), new ConsoleCounters(), 1);

        assertThat(text).contains(
                "p3_class_sent_reported_frames_total{client=\"client\",class=\"audio\"} 100",
                "p3_class_received_frames_total{client=\"client\",class=\"audio\"} 98",
                "p3_class_lost_frames{client=\"client\",class=\"audio\"} 2",
                "p3_class_duplicate_frames_total{client=\"client\",class=\"audio\"} 1",
                "p3_class_late_frames_total{client=\"client\",class=\"audio\"} 3",
                "p3_class_latency_seconds{client=\"client\",class=\"video\",quantile=\"0.99\"} 0.006",
                "p3_class_latency_seconds{client=\"client\",class=\"audio\",quantile=\"0.5\"} 0.0015",
                "p3_peer_state{peer=\"sp03\",role=\"super\",state=\"REBINDING\"} 1",
                "p3_peer_bound{peer=\"sp03\",role=\"super\"} 0",
                "p3_peer_links{peer=\"sp03\",role=\"super\"} 2",
                "p3_peer_rebinds_total{peer=\"sp03\",role=\"super\",kind=\"fast\"} 1",
                "p3_peer_rebinds_total{peer=\"sp03\",role=\"super\",kind=\"slow\"} 0",
                "p3_peer_rebind_seconds_count{peer=\"sp03\",role=\"super\",kind=\"fast\"} 1",
                "p3_peer_failures_detected_total{peer=\"sp03\",role=\"super\",how=\"view\"} 1",
                "p3_peer_last_failure_detected_timestamp_seconds{peer=\"sp03\",role=\"super\"} ",
                "p3_peer_ft_held_messages{peer=\"sp03\",role=\"super\"} 7",
                "p3_peer_ft_strategy{peer=\"sp03\",role=\"super\",strategy=\"active\"} 1",
                "p3_peer_ft_replica_messages_total{peer=\"sp03\",role=\"super\"} 40",
                "p3_peer_rejected_total{peer=\"sp03\",role=\"super\",reason=\"unroutable\"} 3",
                "p3_peer_rejected_total{peer=\"sp03\",role=\"super\",reason=\"strand_refused\"} 4",
                "p3_transport_rejections_total{reason=\"bad_magic\"} 9",
                "p3_transport_rejections_total{reason=\"too_long\"} 0",
                "p3_transport_frames_refused_total 5",
                "p3_console_actions_total{outcome=\"refused\"} 0", "p3_console_actions_total{outcome=\"malformed\"} 0",
                "process_cpu_seconds_total ", "jvm_memory_heap_used_bytes ");
    }

    @Test
    void eachFamilyIsDeclaredOnceBeforeItsSamples() {
        String text = Metrics.write(mesh(), transport(), new ConsoleCounters(), 0);
        String[] lines = text.split("\n");
        java.util.Set<String> typed = new java.util.HashSet<>();
        for (String line : lines) {
            if (line.startsWith("# TYPE ")) {
                assertThat(typed.add(line.split(" ")[2])).as(line).isTrue();
            } else if (!line.startsWith("# HELP ")) {
                String name = line.split("[{ ]")[0];
                assertThat(typed.stream().anyMatch(name::startsWith)).as(line).isTrue();
                assertThat(line).matches("[a-z0-9_:]+(\\{[^}]*\\})? (-?[0-9.E-]+|NaN|[+-]Inf)");
            }
        }
        assertThat(text).contains("# HELP p3_class_sent_reported_frames_total Per class at a client: frames the sensors"
                + " reported producing");
    }

    @Test
    void labelValuesAndNumbersAreEscaped() {
        PromText t = new PromText();
        PromText.Family f = new PromText.Family("x_total", "counter", "a\nb");
        t.sample(f, Double.NaN, "l", "a\"b\\c\nd");
        t.sample(f, Double.POSITIVE_INFINITY, "l", "e");
        t.sample(f, 0.25, "l", "f");

        assertThat(t.toString()).isEqualTo("# HELP x_total a\\nb\n# TYPE x_total counter\n"
                + "x_total{l=\"a\\\"b\\\\c\\nd\"} NaN\nx_total{l=\"e\"} +Inf\nx_total{l=\"f\"} 0.25\n");
    }
}
