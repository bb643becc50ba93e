package p3.bench.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import p3.mesh.PeerRole;
import p3.mesh.shell.internal.LocalPeer;

/** The single-peer mode's framework properties (p3.mesh's LocalPeer), as the process isolation writes them. */
class LocalPeerTest {

    static final LocalPeer SP03 = new LocalPeer("sp03", PeerRole.SUPER, "b42x7", 40000, 40100, "active", false, 2, 2,
            "2", 2);

    static Map<String, String> required() {
        Map<String, String> p = new HashMap<>();
        p.put(LocalPeer.ID, "sensor1");
        p.put(LocalPeer.ROLE, "sensor");
        p.put(LocalPeer.MESH, "b42x7");
        p.put(LocalPeer.DISCOVERY_PORT, "40000");
        p.put(LocalPeer.MEMBERSHIP_PORT, "40100");
        return p;
    }

    @Test
    void theRequiredPropertiesMakeAPeerOfTheReportsShape() {
        LocalPeer p = LocalPeer.of(required()::get);

        assertThat(p.id()).isEqualTo("sensor1");
        assertThat(p.role()).isEqualTo(PeerRole.SENSOR);
        assertThat(p.discoveryPort()).isEqualTo(40000);
        assertThat(p.membershipPort()).isEqualTo(40100);
        assertThat(p.sensorMemory()).isTrue();
        assertThat(List.of(p.span(), p.depth(), p.sensorsPerCell())).containsExactly(2, 2, 2);
        assertThat(p.superPeersPerCell()).isEqualTo("2");
    }

    @Test
    void aBadValueNamesItsProperty() {
        assertBad(LocalPeer.ID, null, "p3.local.peer.id is required");
        assertBad(LocalPeer.ID, "sp 1", "p3.local.peer.id");
        assertBad(LocalPeer.ROLE, "leaf", "p3.local.peer.role must be super, sensor or client: leaf");
        assertBad(LocalPeer.MESH, "a/b", "p3.local.peer.mesh");
        assertBad(LocalPeer.DISCOVERY_PORT, "x", "p3.local.peer.discoveryPort must be a whole number: x");
        assertBad(LocalPeer.MEMBERSHIP_PORT, "70000", "p3.local.peer.membershipPort must be within 1..65535");
        assertBad(LocalPeer.SENSOR_MEMORY, "yes", "p3.local.peer.sensorMemory must be true or false: yes");
        assertBad(LocalPeer.FT_STRATEGY, "Act ive", "p3.local.peer.ftStrategy");
        assertBad(LocalPeer.SPAN, "10", "p3.local.peer.span must be within 1..9");
        assertBad(LocalPeer.SUPER_PEERS_PER_CELL, "2,0", "p3.local.peer.superPeersPerCell");
    }

    private static void assertBad(String property, String value, String message) {
        Map<String, String> p = required();
        p.put(property, value);
        assertThatThrownBy(() -> LocalPeer.of(p::get)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void theProcessCommandLineReadsBackAsTheSamePeer() {
        List<String> command = PeerCommandLine.of(Path.of("/x/p3.jar"), SP03, true, Path.of("/tmp/sp03-shell.sock"),
                Path.of("/tmp/fw"));

        Map<String, String> properties = new HashMap<>();
        for (String arg : command) {
            if (arg.startsWith("-D")) {
                int eq = arg.indexOf('=');
                properties.put(arg.substring(2, eq), arg.substring(eq + 1));
            }
        }
        assertThat(LocalPeer.of(properties::get)).isEqualTo(SP03);
        assertThat(properties).containsEntry("p3.local.mesh", "peer").containsEntry("p3.shell.socket", Path.of("/tmp/sp03-shell.sock").toString())
                .containsEntry("org.osgi.framework.storage", Path.of("/tmp/fw").toString())
                .containsEntry("org.osgi.service.http.port", "0")
                .containsEntry("p3.console.tokenFile", Path.of("/tmp/sp03-console.token").toString());
        assertThat(command.get(0)).endsWith("java");
        assertThat(command.subList(command.size() - 2, command.size())).containsExactly("-jar", "/x/p3.jar");
    }
}
