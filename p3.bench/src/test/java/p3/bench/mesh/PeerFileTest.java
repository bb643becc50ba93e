package p3.bench.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import p3.mesh.PeerRole;

/** Process isolation's peers as configuration files, and the command line that reads them. */
class PeerFileTest {

    static final PeerFile SP03 = new PeerFile("sp03", PeerRole.SUPER, "b42x7", 40000, 40100, "active", false, 2, 2, "2",
            2, "");

    @TempDir
    Path dir;

    @Test
    void theFileHoldsThePeersSettingsUnderThePeersOwnPropertyNames() throws Exception {
        Path file = SP03.writeInto(dir.resolve("sp03-conf"));

        assertThat(file.getFileName().toString()).isEqualTo("p3.mesh.peer-sp03.cfg");
        assertThat(Files.readAllLines(file, StandardCharsets.UTF_8)).containsExactly("peerId=sp03", "role=super",
                "mesh=b42x7", "discoveryPort=40000", "membershipPort=40100", "ftStrategy=active", "sensorMemory=false",
                "span=2", "depth=2", "superPeersPerCell=2", "sensorsPerCell=2");
        try (var files = Files.list(dir)) {
            assertThat(files).as("nothing left beside the folder").containsExactly(dir.resolve("sp03-conf"));
        }
    }

    @Test
    void aPeerWithoutAStrategyOrAnAddressLeavesThemToThePeersDefaults() {
        PeerFile sensor = new PeerFile("sensor1", PeerRole.SENSOR, "b42x7", 40000, 40100, "", true, 2, 2, "2", 2, "");
        assertThat(sensor.properties()).doesNotContainKey("ftStrategy").doesNotContainKey("bindAddress")
                .containsEntry("role", "sensor");
        PeerFile onAHost = new PeerFile("sensor1", PeerRole.SENSOR, "b42x7", 40000, 40100, "", true, 2, 2, "2", 2,
                "10.77.0.2");
        assertThat(onAHost.properties()).containsEntry("bindAddress", "10.77.0.2");
    }

    @Test
    void theProcessRunsNoLocalMeshAndReadsItsPeersFolder() {
        List<String> command = PeerCommandLine.of(Path.of("/x/p3.jar"), SP03, true, Path.of("/tmp/sp03-shell.sock"),
                Path.of("/tmp/sp03-fw"));

        Map<String, String> properties = new HashMap<>();
        for (String arg : command) {
            if (arg.startsWith("-D")) {
                int eq = arg.indexOf('=');
                properties.put(arg.substring(2, eq), arg.substring(eq + 1));
            }
        }
        assertThat(properties).containsEntry("p3.local.mesh", "off")
                .containsEntry("felix.fileinstall.dir", Path.of("/tmp/sp03-conf").toString())
                .containsEntry("p3.shell.socket", Path.of("/tmp/sp03-shell.sock").toString())
                .containsEntry("org.osgi.framework.storage", Path.of("/tmp/sp03-fw").toString())
                .containsEntry("org.osgi.service.http.port", "0")
                .containsEntry("p3.console.tokenFile", Path.of("/tmp/sp03-console.token").toString());
        assertThat(properties.keySet()).noneMatch(k -> k.startsWith("p3.local.peer"));
        assertThat(PeerCommandLine.conf(Path.of("/tmp/sp03-fw"), "sp03")).isEqualTo(Path.of("/tmp/sp03-conf"));
        assertThat(command.get(0)).endsWith("java");
        assertThat(command.subList(command.size() - 2, command.size())).containsExactly("-jar", "/x/p3.jar");
    }
}
