package p3.report.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import p3.mesh.ClassStats;
import p3.mesh.FailureRecord;
import p3.mesh.MeshPeer;
import p3.mesh.PeerRole;
import p3.mesh.PeerState;
import p3.mesh.RebindKind;
import p3.report.testing.FakePeer;

/** The JSON documents that p3:stats --json, p3:failures --json and the console's /api/ share. */
class MeshJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static JsonNode read(String json) throws Exception {
        return MAPPER.readTree(json);
    }

    @Test
    void statsSayWhatSentMeansAndKeepTheBenchsFields() throws Exception {
        FakePeer client = new FakePeer("client", PeerRole.CLIENT, "0");
        client.parents = List.of("sp01", "sp02");
        // read while traffic flows: more received than the sensors reported so far
        client.classes = List.of(new ClassStats("audio", 100, 104, 0, 2, 1, 0, 2.1456, 0.5, 2.1, 4.0, 5.25));
        FakePeer sp = new FakePeer("sp03", PeerRole.SUPER, null);
        sp.state = PeerState.JOINING;

        String json = MeshJson.write(MeshJson.stats(List.of(client, sp)));

        assertThat(json).doesNotContain("\n");
        JsonNode root = read(json);
        JsonNode audio = root.get("clients").get(0).get("classes").get("audio");
        assertThat(audio.get("sent_reported").asLong()).isEqualTo(100);
        assertThat(audio.get("received").asLong()).isEqualTo(104);
        assertThat(audio.get("latency_ms").get("mean").asDouble()).isEqualTo(2.146);
        assertThat(root.get("meaning").get("sent_reported").asText()).contains("lags");
        assertThat(root.get("peers").get(1).get("cell").isNull()).isTrue();
        assertThat(root.get("peers").get(1).get("state").asText()).isEqualTo("JOINING");
        assertThat(root.get("peers").get(0).get("parents")).hasSize(2);
        assertThat(root.get("peers").get(0).get("ft").get("strategy").asText()).isEqualTo("hybrid");
        assertThat(root.has("cpu_s") && root.has("heap_mb")).isTrue();
    }

    @Test
    void failuresWithAndWithoutRebind() throws Exception {
        FakePeer sensor = new FakePeer("sensor1", PeerRole.SENSOR, "01");
        sensor.failures = List.of(new FailureRecord("sensor1", "sp03", "link", 1_000_000, RebindKind.FAST, 3_100_000),
                new FailureRecord("sensor1", "sp04", "link", 5_000_000, null, 0));

        JsonNode f = read(MeshJson.write(MeshJson.failures(List.of(sensor)))).get("failures");

        assertThat(f).hasSize(2);
        assertThat(f.get(0).get("rebind").asText()).isEqualTo("FAST");
        assertThat(f.get(0).get("rebind_ms").asDouble()).isEqualTo(2.1);
        assertThat(f.get(1).get("rebind").isNull()).isTrue();
        assertThat(f.get(1).get("rebind_ms").asDouble()).isEqualTo(-1);
    }

    @Test
    void theTreeIsTheRootsWhenThisRuntimeHasOne() throws Exception {
        FakePeer root = new FakePeer("sp01", PeerRole.SUPER, "0");
        root.tree = List.of("0      sp01           super  parent=null", "01     sp03           super  parent=sp01",
                "01     sensor1        sensor parent=sp03", "0      client         client parent=sp01");
        FakePeer other = new FakePeer("sp03", PeerRole.SUPER, "01");
        other.tree = List.of("01     sp03           super  parent=sp01", "01     ghost          sensor parent=sp03");

        JsonNode t = read(MeshJson.write(MeshJson.tree(List.of(other, root))));

        assertThat(t.get("seen_by").asText()).isEqualTo("sp01");
        assertThat(t.get("peers")).hasSize(4);
        assertThat(t.get("peers").get(0).get("parent").isNull()).isTrue();
        assertThat(t.get("peers").get(2).get("role").asText()).isEqualTo("sensor");
    }

    @Test
    void withoutARootTheSubtreesAreMerged() {
        FakePeer a = new FakePeer("sp03", PeerRole.SUPER, "01");
        a.tree = List.of("01 sp03 super parent=sp01", "01 sensor1 sensor parent=sp03");
        FakePeer b = new FakePeer("sensor1", PeerRole.SENSOR, "01");
        b.tree = List.of("01 sensor1 sensor parent=sp03", "not a line");
        List<MeshPeer> peers = List.of(a, b);

        TreeEntry.Tree t = TreeEntry.of(peers);

        assertThat(t.seenBy()).isEqualTo("sp03,sensor1");
        assertThat(t.entries()).extracting(TreeEntry::peer).containsExactly("sp03", "sensor1");
    }

    @Test
    void aTreeLineOfAnotherShapeIsNamed() {
        assertThatThrownBy(() -> TreeEntry.parse("0 sp01 super")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 sp01 super");
    }

    @Test
    void peersAndFtAndTheirStrands() throws Exception {
        FakePeer sp = new FakePeer("sp01", PeerRole.SUPER, "0");
        sp.links = List.of("up a", "down b", "down c");

        JsonNode peers = read(MeshJson.write(MeshJson.peers(List.of(sp)))).get("peers");
        JsonNode ft = read(MeshJson.write(MeshJson.ft(List.of(sp), List.of("active", "passive"))));

        assertThat(peers.get(0).get("links").asInt()).isEqualTo(3);
        assertThat(peers.get(0).get("strand").get("stalled").asBoolean()).isFalse();
        assertThat(ft.get("available")).hasSize(2);
        assertThat(ft.get("peers").get(0).get("ft").get("held").asInt()).isZero();
    }
}
