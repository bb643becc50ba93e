package p3.bench.mesh;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How process isolation starts one peer: the java command line of its runtime (JVM options,
 * framework properties, the runtime's jar) reading the peer's {@link PeerFile} from a folder of its
 * own, the mesh's one PKI folder in the run's folder, and where the runtime's jar is.
 */
final class PeerCommandLine {

    /**
     * Measured on 2 cores: the quick compiler only (C1) starts a runtime in about 2 s (C2 as well
     * made forming the 23 peers take 99 s instead of 53, and the idle mesh burn 86% CPU instead
     * of 46%); the serial collector; a young generation large enough that FT_ALL's held messages
     * do not bring a young collection every two seconds (with -Xmx128m they paused a super-peer
     * for 100 to 290 ms each time, and the mesh fell behind for good). About 250 MB resident each.
     */
    static final List<String> JVM_OPTIONS = List.of("-Xmx384m", "-Xmn192m", "-Xss512k", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData");
    private static final String RUN_JAR_PROPERTY = "p3.bench.runJar";
    /** JVM options for every peer after {@link #JVM_OPTIONS}, space-separated: a later option wins. */
    static final String PEER_JVM_OPTIONS_PROPERTY = "p3.bench.peerJvmOptions";
    /**
     * The framework property that turns the runtime's security off (configuration PID
     * {@code p3.security}, the keyring component's): every peer in the clear. Unset, the runtime
     * runs with its keyring's credentials.
     */
    static final String SECURITY_ENABLED_PROPERTY = "p3.security.enabled";

    private PeerCommandLine() {
    }

    /** The mesh's PKI folder in the run's folder. */
    static Path pki(Path runDir) {
        return runDir.resolve("pki");
    }

    /** The configuration folder of the runtime whose framework storage is {@code storage}: its peer's file. */
    static Path conf(Path storage, String peer) {
        return storage.resolveSibling(peer + "-conf");
    }

    /**
     * The java command of one peer: this JVM's java, the runtime's jar, no local mesh but the peer of
     * its configuration folder ({@link #conf}); {@value #SECURITY_ENABLED_PROPERTY}{@code =false} when
     * the mesh runs without security.
     */
    static List<String> of(Path runJar, PeerFile peer, boolean security, Path shellSocket, Path storage) {
        List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        c.addAll(JVM_OPTIONS);
        for (String option : System.getProperty(PEER_JVM_OPTIONS_PROPERTY, "").trim().split("\\s+")) {
            if (!option.isEmpty()) {
                c.add(option);
            }
        }
        c.add("-Djava.net.preferIPv4Stack=true");
        c.add("-Djava.util.logging.SimpleFormatter.format=%1$tT.%1$tL %4$s %5$s%6$s%n");
        c.add("-Dorg.osgi.framework.storage=" + storage);
        c.add("-Dp3.shell.socket=" + shellSocket);
        // the web console of each runtime on a free port, its token and audit log beside the storage
        c.add("-Dorg.osgi.service.http.port=0");
        c.add("-Dp3.console.tokenFile=" + storage.resolveSibling(peer.id() + "-console.token"));
        c.add("-Dp3.audit.file=" + storage.resolveSibling(peer.id() + "-audit.log"));
        c.add("-Dp3.local.mesh=off");
        c.add("-Dfelix.fileinstall.dir=" + conf(storage, peer.id()));
        c.add("-Dp3.security.dir=" + pki(storage.getParent()));
        if (!security) {
            c.add("-D" + SECURITY_ENABLED_PROPERTY + "=false");
        }
        c.add("-jar");
        c.add(runJar.toString());
        return c;
    }

    /** The runtime's executable jar: {@value #RUN_JAR_PROPERTY}, else p3.run/target/p3.jar beside this bench. */
    static Path runJar() {
        String given = System.getProperty(RUN_JAR_PROPERTY);
        List<Path> candidates = new ArrayList<>();
        if (given != null && !given.isBlank()) {
            candidates.add(Path.of(given));
        } else {
            try {
                // p3.bench/target/p3-bench.jar, or p3.bench/target/classes in the tests
                Path here = Path.of(PeerCommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                Path root = here.getParent().getParent().getParent();
                if (root != null) {
                    candidates.add(root.resolve("p3.run/target/p3.jar"));
                }
            } catch (URISyntaxException | RuntimeException e) {
                // no location: the working folder below
            }
            candidates.add(Path.of("p3.run/target/p3.jar"));
        }
        for (Path c : candidates) {
            if (Files.isRegularFile(c)) {
                return c.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("process isolation needs the runtime's jar, not found at " + candidates
                + ": build it (mvn -q -o install -DskipTests -pl p3.run -am) or name it with -D" + RUN_JAR_PROPERTY);
    }
}
