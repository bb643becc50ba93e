package p3.bench.mesh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import p3.mesh.MeshPeer;
import p3.mesh.PeerRole;

/**
 * One peer of process isolation as an operator would deploy it: a configuration file
 * {@code p3.mesh.peer-ID.cfg} in the folder its runtime's FileInstall reads, with the peer's own
 * property names (its metatype's). The runtime checks the values, and names this file and the
 * property when one is bad.
 *
 * @param id                the PeerId
 * @param role              super, sensor or client
 * @param mesh              the same for every runtime of one mesh, unique per run
 * @param discoveryPort     discovery base port, the same for the whole mesh
 * @param membershipPort    membership base port, the same for the whole mesh
 * @param ftStrategy        the strategy a super-peer prefers; empty for the peer's default
 * @param sensorMemory      whether a sensor keeps its FT messages until acknowledged
 * @param span              children per cell
 * @param depth             levels below the root
 * @param superPeersPerCell by depth from the root, e.g. {@code 2} or {@code 3,2}
 * @param sensorsPerCell    sensors per non-root cell
 * @param bindAddress       where its links listen: its host's address, or empty for the peer's default (127.0.0.1)
 */
record PeerFile(String id, PeerRole role, String mesh, int discoveryPort, int membershipPort, String ftStrategy,
        boolean sensorMemory, int span, int depth, String superPeersPerCell, int sensorsPerCell, String bindAddress) {

    /** The file's name: FileInstall makes it a factory configuration of {@value MeshPeer#FACTORY_PID}. */
    String fileName() {
        return MeshPeer.FACTORY_PID + "-" + id + ".cfg";
    }

    /** The peer's properties, in the file's order. */
    Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("peerId", id);
        p.put("role", role.name().toLowerCase(Locale.ROOT));
        p.put("mesh", mesh);
        p.put("discoveryPort", Integer.toString(discoveryPort));
        p.put("membershipPort", Integer.toString(membershipPort));
        if (!ftStrategy.isEmpty()) {
            p.put("ftStrategy", ftStrategy);
        }
        p.put("sensorMemory", Boolean.toString(sensorMemory));
        p.put("span", Integer.toString(span));
        p.put("depth", Integer.toString(depth));
        p.put("superPeersPerCell", superPeersPerCell);
        p.put("sensorsPerCell", Integer.toString(sensorsPerCell));
        if (!bindAddress.isEmpty()) {
            p.put("bindAddress", bindAddress);
        }
        return p;
    }

    String text() {
        return properties().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n"));
    }

    /**
     * Writes the file into {@code folder} whole (written beside the folder, then moved in), so that
     * FileInstall, which may be polling the folder already, never reads half of it nor a stray file.
     *
     * @return the file
     */
    Path writeInto(Path folder) throws IOException {
        Files.createDirectories(folder);
        Path file = folder.resolve(fileName());
        Path partial = folder.resolveSibling(folder.getFileName() + "-" + fileName() + ".partial");
        Files.writeString(partial, text(), StandardCharsets.UTF_8);
        return Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
