package p3.bench.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import p3.bench.Main;
import p3.transport.LinkSettings;
import picocli.CommandLine;

/**
 * {@code --link-heartbeat}: the links' heartbeat of an inproc mesh, the idle timeout in the runtime's
 * ratio; and {@code --store-bytes}, the other inproc-only option.
 */
class LinkHeartbeatOptionTest {

    @TempDir
    Path dir;

    @Test
    void withoutItTheLinksAreTheRuntimes() {
        assertThat(InprocSystem.links(null)).isEqualTo(LinkSettings.defaults());
    }

    @Test
    void theIdleTimeoutKeepsTheRuntimesRatioAndTheRestStays() {
        LinkSettings d = LinkSettings.defaults();

        LinkSettings s = InprocSystem.links(Duration.ofSeconds(1));

        assertThat(d.heartbeatMs()).isEqualTo(200);
        assertThat(d.idleTimeoutMs()).isEqualTo(1000);
        assertThat(s.heartbeatMs()).isEqualTo(1000);
        assertThat(s.idleTimeoutMs()).isEqualTo(5000);
        assertThat(s.ioThreads()).isEqualTo(d.ioThreads());
        assertThat(s.tlsProvider()).isEqualTo(d.tlsProvider());
        assertThat(s.connectTimeoutMs()).isEqualTo(d.connectTimeoutMs());
    }

    @Test
    void processIsolationAndOddValuesAreUsageErrors() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));

        assertThat(cli.execute("mesh", "--isolation", "process", "--link-heartbeat", "1s", "--out", dir.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--link-heartbeat: process isolation runs the runtime's link settings");
        assertThat(cli.execute("mesh", "--link-heartbeat", "2m", "--out", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--link-heartbeat: 120s must be within 1ms..60s");
    }

    @Test
    void storeBytesIsInprocOnlyAndAtLeast64KiB() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));

        assertThat(cli.execute("mesh", "--isolation", "process", "--store-bytes", "1000000", "--out", dir.toString()))
                .isEqualTo(2);
        assertThat(cli.execute("mesh", "--store-bytes", "1000", "--out", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--store-bytes: 1000 needs --isolation inproc and at least 65536");
    }
}
