package p3.systest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peers from configuration files (issue 10): {@code p3.jar} on a folder of
 * {@code p3.mesh.peer-NAME.cfg} files, as {@code ./p3 run --conf DIR} starts it, runs exactly the
 * peers they describe; a file with a bad value gets an error that names the file and the property,
 * and the runtime and the other peers go on.
 */
class ConfFilesTest {

    static final Duration BOUND = Duration.ofSeconds(60);

    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // a failure keeps runtime.log
    Path dir;

    @Test
    void theRuntimeRunsThePeersOfItsFolderAndNamesTheFileOfABadValue() throws Exception {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        // a root cell of one super-peer, two cells below it of one each, a sensor in each; discovery
        // without multicast, through the super-peers' fixed unicast ports, as across routed hosts
        int seed1 = StockFelixTest.freeUdpRun(1);
        int seed2;
        do {
            seed2 = StockFelixTest.freeUdpRun(1);
        } while (seed2 == seed1);
        String mesh = String.join("\n", "mesh=conf" + UUID.randomUUID().toString().substring(0, 8), "depth=1",
                "superPeersPerCell=1", "sensorsPerCell=1", "discoveryPort=" + StockFelixTest.freeUdpRun(3),
                "membershipPort=" + StockFelixTest.freeUdpRun(3), "multicast=false",
                "discoverySeeds=127.0.0.1:" + seed1 + ",127.0.0.1:" + seed2, "");
        peer(conf, "sp01", "super", "discoveryUnicastPort=" + seed1 + "\n" + mesh);
        peer(conf, "sp02", "super", "discoveryUnicastPort=" + seed2 + "\n" + mesh);
        peer(conf, "sensor1", "sensor", mesh);
        peer(conf, "client", "client", mesh);
        Files.writeString(conf.resolve("p3.mesh.peer-sp09.cfg"), "peerId=sp09\nrole=super\nftStoreBytes=12\n" + mesh,
                UTF_8);
        Files.writeString(conf.resolve("p3.mesh.peer-sensor9.cfg"),
                "peerId=sensor9\nrole=sensor\nsubscriptionLeaseMs=30s\n" + mesh, UTF_8);

        try (RuntimeProcess runtime = RuntimeProcess.start(dir, "off", List.of("-Dfelix.fileinstall.poll=200"))) {
            runtime.awaitLine("p3.mesh.peer-sp09.cfg: ftStoreBytes must be at least 65536: 12");
            runtime.awaitLine("p3.mesh.peer-sensor9.cfg: subscriptionLeaseMs must be a whole number: 30s");
            Map<String, String> states;
            try {
                states = await().atMost(BOUND).ignoreExceptions().until(() -> states(runtime.shell("p3:peers")),
                        s -> s.size() == 4 && s.values().stream().allMatch("BOUND"::equals));
            } catch (ConditionTimeoutException e) {
                // seen twice in about twenty runs: sensor1 JOINING for a minute; say where each peer stood
                throw new AssertionError(e.getMessage() + "\n" + runtime.shell("p3:peers") + "log in " + dir, e);
            }
            assertThat(states).containsOnlyKeys("sp01", "sp02", "sensor1", "client");

            // a file removed takes its peer away; the others stay
            Files.delete(conf.resolve("p3.mesh.peer-sensor1.cfg"));
            await().atMost(BOUND).until(() -> !states(runtime.shell("p3:peers")).containsKey("sensor1"));
            assertThat(states(runtime.shell("p3:peers"))).containsOnlyKeys("sp01", "sp02", "client");
        }
    }

    private static void peer(Path conf, String id, String role, String mesh) throws Exception {
        Files.writeString(conf.resolve("p3.mesh.peer-" + id + ".cfg"), "peerId=" + id + "\nrole=" + role + "\n" + mesh,
                UTF_8);
    }

    /** Each peer's state, from p3:peers' table. */
    private static Map<String, String> states(String table) {
        Map<String, String> out = new HashMap<>();
        for (String line : table.split("\n")) {
            String[] words = line.trim().split("\\s+");
            for (int i = 2; i < words.length && !words[0].equals("peer"); i++) {
                if (words[i].matches("[A-Z_]{4,}")) { // the state; a peer between cells shows no cell
                    out.put(words[0], words[i]);
                    break;
                }
            }
        }
        return out;
    }
}
