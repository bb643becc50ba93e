package p3.bench.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import p3.bench.Main;
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
}
