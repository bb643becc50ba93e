package p3.bench.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import p3.bench.Main;
import picocli.CommandLine;

/** Both transports end to end on 127.0.0.1, as briefly as the command allows. */
class TransportCommandTest {

    @TempDir
    Path dir;

    @Test
    void measuresBothTransportsWritesJsonAndLeavesNothingRunning() throws Exception {
        Path json = dir.resolve("out/transport.json");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));

        int rc = cli.execute("transport", "--impl", "p3,bare", "--rate", "20000", "--frames", "400", "--warmup", "10ms", "--slice",
                "5ms", "--throughput-warmup", "20ms", "--throughput-duration", "60ms", "--json", json.toString());

        assertThat(rc).as(err.toString()).isZero();
        assertThat(out.toString()).contains("p3 link", "bare netty", "ratio p3/bare", "figures written to");
        String text = Files.readString(json);
        assertThat(text).contains("\"p3\": {", "\"bare\": {", "\"ratioP3OverBare\"");
        // both latency runs got every frame, and no throughput run lost one
        assertThat(Pattern.compile("\"sent\": 400,\\s+\"received\": 400,\\s+\"lost\": 0,").matcher(text).results())
                .hasSize(2);
        assertThat(Pattern.compile("\"lost\": 0,").matcher(text).results()).hasSize(4);
        // every event loop is closed when the command returns
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(P3LinkTarget.LOOP_PREFIX) || t.getName().startsWith(BareNettyTarget.LOOP_PREFIX)) {
                t.join(5_000);
                assertThat(t.isAlive()).as(t.getName()).isFalse();
            }
        }
    }

    @Test
    void tlsLanesOpenAndMeasureBesideThePlainLink() throws Exception {
        // the OpenSSL lane must run where the bench ships its native library; elsewhere it is skipped with a word
        boolean openSslHere = System.getProperty("os.name").startsWith("Linux")
                && System.getProperty("os.arch").matches("amd64|x86_64");
        if (openSslHere) {
            assertThat(Impl.TLS_OPENSSL.unavailable()).isNull();
        }
        Path json = dir.resolve("tls.json");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));

        int rc = cli.execute("transport", "--impl", "p3,tls-jdk,tls-openssl", "--rate", "20000", "--frames", "300",
                "--warmup", "10ms", "--slice", "5ms", "--throughput-warmup", "20ms", "--throughput-duration", "60ms",
                "--json", json.toString());

        assertThat(rc).as(err.toString()).isZero();
        int lanes = Impl.TLS_OPENSSL.unavailable() == null ? 3 : 2;
        assertThat(out.toString()).contains("p3 link", "p3 tls jdk", "tls jdk/plain", "both event loops")
                .doesNotContain("bare netty");
        String text = Files.readString(json);
        assertThat(text).contains("\"tls-jdk\": {", "\"tls\": \"jdk\"", "\"ratioTlsJdkOverPlain\"")
                .doesNotContain("ratioP3OverBare");
        if (lanes == 3) {
            assertThat(out.toString()).contains("p3 tls openssl", "tls openssl/plain");
            assertThat(text).contains("\"tls-openssl\": {", "\"ratioTlsOpensslOverPlain\"");
        } else {
            assertThat(err.toString()).contains("tls-openssl: skipped");
        }
        // every TLS latency run got every frame through the handshaken link
        assertThat(Pattern.compile("\"sent\": 300,\\s+\"received\": 300,\\s+\"lost\": 0,").matcher(text).results())
                .hasSize(lanes);
        // every throughput run moved frames; the ratios beside them carry the same key, and are not counted
        assertThat(Pattern.compile("\"framesPerSecond\": [1-9][0-9.]*,\\s+\"payloadMBps\": [0-9.]+,\\s+\"wireBytesPerFrame\"")
                .matcher(text).results()).hasSize(lanes);
    }

    @Test
    void implNamesParseAndUnknownOnesAreRefused() {
        assertThat(Impl.of("TLS-OpenSSL")).isEqualTo(Impl.TLS_OPENSSL);
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));

        assertThat(cli.execute("transport", "--impl", "p3,tls")).isEqualTo(2);
        assertThat(err.toString()).contains("tls is not one of p3, tls-jdk, tls-openssl, bare");
    }

    @Test
    void refusesBadOptionsWithUsageExitCode() {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));

        assertThat(cli.execute("transport", "--frames", "10", "--duration", "1s")).isEqualTo(2);
        assertThat(cli.execute("transport", "--payload", "8")).isEqualTo(2);
        assertThat(err.toString()).contains("mutually exclusive", "--payload must be between 16");
        assertThat(cli.execute()).isEqualTo(2);
    }
}
