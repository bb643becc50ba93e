package p3.bench.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import p3.bench.Main;
import p3.mesh.ClassStats;
import p3.mesh.FtMode;
import picocli.CommandLine;

/**
 * {@code --isolation netns}: hosts as network namespaces on one bridge, made and removed by the
 * bench, and a mesh whose runtimes talk across them. Root only (CI runs as root); skipped elsewhere.
 */
class NetnsIsolationTest {

    @TempDir
    Path dir;

    @BeforeEach
    void rootAndIproute2() {
        boolean can;
        try {
            NetnsLab.run("ip", "netns", "list"); // iproute2 is there
            can = NetnsLab.run("id", "-u").trim().equals("0");
        } catch (IOException e) {
            can = false;
        }
        assumeTrue(can, "the netns isolation needs root and iproute2");
    }

    @AfterEach
    void nothingLeftBehind() throws IOException {
        assertThat(NetnsLab.run("ip", "netns", "list")).doesNotContain(NetnsLab.PREFIX + "-");
        assertThat(NetnsLab.run("ip", "-o", "link", "show")).doesNotContain(NetnsLab.BRIDGE);
    }

    @Test
    void hostsGetTheirOwnAddressesOnTheBridgeAndALabKilledBeforeItsCloseIsRemovedByTheNext() throws IOException {
        NetnsLab killed = NetnsLab.open();
        NetnsLab.Host a = killed.host();
        NetnsLab.Host b = killed.host();
        assertThat(a.address()).isNotEqualTo(b.address()).startsWith("10.77.");
        assertThat(NetnsLab.run("ip", "-n", a.namespace(), "-o", "addr", "show", "eth0")).contains(a.address() + "/16");
        assertThat(NetnsLab.run("ip", "-n", b.namespace(), "route", "show")).contains("224.0.0.0/4 dev eth0");
        assertThat(NetnsLab.run("ip", "-o", "link", "show", "master", NetnsLab.BRIDGE)).contains("p3v1", "p3v2");

        // as if the bench was killed: the next lab starts by removing what this one left
        try (NetnsLab next = NetnsLab.open()) {
            assertThat(NetnsLab.run("ip", "netns", "list")).doesNotContain(a.namespace(), b.namespace());
            assertThat(next.host().namespace()).isEqualTo(a.namespace());
        }
    }

    /**
     * Seven runtimes on seven hosts: the root cell's two super-peers form their group across the
     * bridge, the others find the root by discovery across it, and every link crosses it.
     */
    @Test
    void aMeshOfSevenRuntimesOnSevenHostsLosesNoFtMessage() throws Exception {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));

        int exit = cli.execute("mesh", "--scenario", "baseline", "--ft", "all", "--strategy", "hybrid", "--isolation",
                "netns", "--span", "2", "--depth", "1", "--supers-per-cell", "2,1", "--sensors-per-cell", "1",
                "--sensors", "2", "--measure", "5s", "--out", dir.toString());

        assertThat(exit).as(err.toString()).isZero();
        RunResult run = ResultsJson.read(dir.resolve("results.json")).runs().get(0);
        assertThat(run.isolation()).isEqualTo("netns");
        for (RunResult.ClassResult c : new RunResult.ClassResult[] { run.classes().audio(), run.classes().video(),
                run.classes().event() }) {
            assertThat(c.sent()).isPositive();
            assertThat(c.lost()).isZero();
            assertThat(c.received()).isEqualTo(c.sent());
        }
    }

    /**
     * A station cut off the network (its interface down, its process running): its MESH link falls
     * silent, it leaves its parent, and once back it binds again and sends what its memory kept;
     * the client gets every FT message, once.
     */
    @Test
    void aSensorCutOffTheNetworkAndBackLosesNoFtMessage() throws Exception {
        TreeShape shape = new TreeShape(2, 1, List.of(2, 1), 1, 2);
        try (ProcessSystem mesh = new ProcessSystem(shape, BenchSettings.of("quick"), "hybrid", true, true, true)) {
            mesh.form();
            mesh.request(FtMode.ALL);
            await().atMost(Duration.ofSeconds(30)).until(() -> received(mesh) > 300);

            mesh.cut("sensor1", true);
            await().atMost(Duration.ofSeconds(30)).until(() -> !mesh.state("sensor1").equals("BOUND"));
            long before = received(mesh);
            mesh.cut("sensor1", false);
            await().atMost(Duration.ofSeconds(60)).until(() -> mesh.state("sensor1").equals("BOUND")
                    && received(mesh) > before + 300);

            mesh.stopSources();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                for (ClassStats c : mesh.clientStats()) {
                    assertThat(c.sent()).as(c.trafficClass()).isPositive();
                    assertThat(c.received()).as("%s: every FT message, once: %s", c.trafficClass(), c)
                            .isEqualTo(c.sent());
                }
            });
        }
    }

    private static long received(ProcessSystem mesh) throws Exception {
        return mesh.clientStats().stream().mapToLong(ClassStats::received).sum();
    }
}
