package p3.itest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.inject.Inject;

import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

import p3.mesh.MeshPeer;
import p3.mesh.PeerState;
import p3.mesh.Qos;
import p3.transport.PortRuns;

/**
 * The web console in a real Felix with Felix HTTP (Jetty) on a free port: /metrics lists every
 * per-class and per-peer figure, /health turns 503 while a peer of the runtime rebinds and 200 once
 * it is bound again, /events streams, and actions need the operator's token.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConsoleTest {

    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final String TOKEN = P3Options.target("itest-console.token");

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin configAdmin;

    private final List<org.osgi.service.cm.Configuration> made = new ArrayList<>();
    private final String mesh = "console" + UUID.randomUUID().toString().substring(0, 8);
    private int discoveryPort;
    private int membershipPort;

    @Configuration
    public Option[] config() {
        return new Option[] { P3Options.console(TOKEN) };
    }

    @After
    public void removePeers() throws Exception {
        for (org.osgi.service.cm.Configuration c : made) {
            c.delete();
        }
        made.clear();
    }

    @Test
    public void metricsListEveryClassAndPeerFigureAndActionsNeedTheToken() throws Exception {
        ports();
        peer("sp1", "super", "2");
        peer("sp2", "super", "2");
        peer("sp3", "super", "2");
        peer("sensor1", "sensor", "2");
        peer("client", "client", "2");
        peerService("client").requestAll("audio", new Qos(false, Duration.ofMillis(100)));
        String base = endpoint();

        String metrics = await().atMost(BOUND).until(() -> get(base + "metrics").body,
                m -> m.matches("(?s).*p3_class_received_frames_total\\{client=\"client\",class=\"audio\"} [1-9].*"));
        for (String figure : List.of("p3_class_sent_reported_frames_total{client=\"client\",class=\"audio\"}",
                "p3_class_lost_frames{client=\"client\",class=\"audio\"}",
                "p3_class_duplicate_frames_total{client=\"client\",class=\"audio\"}",
                "p3_class_late_frames_total{client=\"client\",class=\"audio\"}",
                "p3_class_latency_seconds{client=\"client\",class=\"audio\",quantile=\"0.99\"}",
                "# HELP p3_class_sent_reported_frames_total", "process_cpu_seconds_total",
                "jvm_memory_heap_used_bytes", "p3_transport_rejections_total{reason=\"bad_magic\"}")) {
            assertTrue(figure + " in\n" + metrics, metrics.contains(figure));
        }
        for (String peer : List.of("sp1", "sp2", "sp3", "sensor1", "client")) {
            for (String family : List.of("p3_peer_bound", "p3_peer_links", "p3_peer_ft_held_messages",
                    "p3_peer_ft_replica_messages_total", "p3_peer_rebinds_total", "p3_peer_rejected_total",
                    "p3_peer_failures_detected_total")) {
                assertTrue(family + " of " + peer, metrics.contains(family + "{peer=\"" + peer + "\""));
            }
        }
        assertEquals(200, get(base + "health").status);
        assertTrue(get(base + "api/tree").body.contains("\"seen_by\":\"sp1\""));
        Http page = get(base);
        assertTrue(page.body, page.status == 200 && page.body.contains("console.js"));

        // actions: refused without the token (403, audited), done with it
        String swap = "{\"action\":\"ft\",\"strategy\":\"passive\",\"scope\":\"runtime\"}";
        assertEquals(403, post(base + "api/action", swap, null).status);
        assertEquals(403, post(base + "api/action", swap, "not-the-token").status);
        assertEquals(400, post(base + "api/action", "[1,2", null).status);
        String token = Files.readString(Path.of(TOKEN)).strip();
        Http done = post(base + "api/action", swap, token);
        assertEquals(done.body, 200, done.status);
        await().atMost(BOUND).until(() -> peerService("sp3").ft().strategy().equals("passive"));
        String audit = Files.readString(Path.of(P3Options.target("itest-audit.log")));
        assertTrue(audit, audit.contains("\"what\":\"ft passive\",\"outcome\":\"refused: no or a wrong operator token\""));
        assertTrue(audit, audit.contains("\"what\":\"ft passive\",\"outcome\":\"ok\""));
        String counted = get(base + "metrics").body;
        assertTrue(counted.contains("p3_console_actions_total{outcome=\"refused\"} 2"));
        assertTrue(counted.contains("p3_console_actions_total{outcome=\"malformed\"} 1"));

        // the live feed: the history, then a snapshot
        HttpURLConnection events = (HttpURLConnection) new URL(base + "events").openConnection();
        events.setReadTimeout(5000);
        try (InputStream in = events.getInputStream()) {
            String first = new String(in.readNBytes(64), UTF_8);
            assertTrue(first, first.startsWith("event: history\ndata: {\"points\":["));
            assertTrue(events.getContentType(), events.getContentType().startsWith("text/event-stream"));
        } finally {
            events.disconnect();
        }
    }

    @Test
    public void healthTurns503WhileAPeerRebindsAnd200OnceItIsBound() throws Exception {
        ports();
        // one super-peer per cell: the sensor's cell 01 has its parent alone
        peer("r", "super", "1");
        peer("a", "super", "1");
        peer("s", "sensor", "1");
        String base = endpoint();
        assertEquals(200, get(base + "health").status);

        peerService("a").crash();
        remove("a");
        // with its parent's cell empty, the sensor rebinds (and joins again) until a super-peer comes back
        Http down = await().atMost(BOUND).until(() -> get(base + "health"),
                h -> h.status == 503 && h.body.contains("\"not_bound\":[\"s\"]"));
        assertTrue(down.body, down.body.contains("\"status\":\"down\""));
        assertTrue(get(base + "metrics").body.contains("p3_peer_bound{peer=\"s\",role=\"sensor\"} 0"));
        assertTrue(peerService("s").state() != PeerState.BOUND);

        peer("b", "super", "1");
        await().atMost(BOUND).until(() -> peerService("s").state() == PeerState.BOUND);
        Http up = await().atMost(BOUND).until(() -> get(base + "health"), h -> h.status == 200);
        assertTrue(up.body, up.body.contains("\"status\":\"up\""));
    }

    private void ports() {
        discoveryPort = PortRuns.freeUdp(3);
        membershipPort = PortRuns.freeUdp(3);
    }

    /** The console's base URL: the endpoint the HTTP runtime says it took (the port was 0). */
    private String endpoint() throws Exception {
        return await().atMost(BOUND).until(() -> {
            ServiceReference<?>[] refs = context.getServiceReferences((String) null, "(osgi.http.endpoint=*)");
            if (refs == null) {
                return null;
            }
            Object e = refs[0].getProperty("osgi.http.endpoint");
            String s = e instanceof String[] a ? a[0] : String.valueOf(e);
            return s.endsWith("/") ? s : s + "/";
        }, s -> s != null && s.startsWith("http://127.0.0.1:") && !s.contains(":0/"));
    }

    private void peer(String id, String role, String superPeersPerCell) throws Exception {
        made.add(Probes.startPeer(configAdmin, context, Map.of("peerId", id, "role", role, "mesh", mesh, "depth", 1,
                "superPeersPerCell", superPeersPerCell, "discoveryPort", discoveryPort, "membershipPort",
                membershipPort), BOUND));
    }

    /** Deletes a peer's configuration: its component goes, and its service with it. */
    private void remove(String id) throws Exception {
        for (int i = 0; i < made.size(); i++) {
            if (id.equals(made.get(i).getProperties().get("peerId"))) {
                made.remove(i).delete();
                return;
            }
        }
        throw new AssertionError("no configuration of " + id);
    }

    private MeshPeer peerService(String id) throws Exception {
        return Probes.peer(context, id);
    }

    record Http(int status, String body) {
    }

    static Http get(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
        c.setConnectTimeout(2000);
        c.setReadTimeout(5000);
        return answer(c);
    }

    static Http post(String url, String json, String token) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
        c.setConnectTimeout(2000);
        c.setReadTimeout(5000);
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        if (token != null) {
            c.setRequestProperty("X-P3-Token", token);
        }
        c.getOutputStream().write(json.getBytes(UTF_8));
        return answer(c);
    }

    private static Http answer(HttpURLConnection c) throws IOException {
        try {
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            return new Http(status, in == null ? "" : new String(in.readAllBytes(), UTF_8));
        } finally {
            c.disconnect();
        }
    }
}
