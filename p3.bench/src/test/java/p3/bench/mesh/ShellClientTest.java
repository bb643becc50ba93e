package p3.bench.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

class ShellClientTest {

    @Test
    void aSuccessIsTheOutputBeforeTheStatusLine() throws Exception {
        ShellClient.Reply r = ShellClient.parse("peer role\nsp01 super\n%%p3-status 0\n");

        assertThat(r.ok()).isTrue();
        assertThat(r.output()).isEqualTo("peer role\nsp01 super\n");
    }

    @Test
    void aFailureCarriesTheRuntimesMessage() throws Exception {
        ShellClient.Reply r = ShellClient.parse("%%p3-status 1 Command not found: p3:request\n");

        assertThat(r.ok()).isFalse();
        assertThat(r.failure()).isEqualTo("Command not found: p3:request");
        assertThat(r.output()).isEmpty();
    }

    @Test
    void anAnswerWithoutStatusLineIsAnError() {
        assertThatThrownBy(() -> ShellClient.parse("{\"clients\":[]"))
                .isInstanceOf(IOException.class).hasMessageContaining("without a status line");
        assertThatThrownBy(() -> ShellClient.parse("")).isInstanceOf(IOException.class);
    }

    @Test
    void sendsOneLineAndReadsTheAnswerUntilTheRuntimeCloses() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept()) {
                    String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                            .readLine();
                    OutputStream out = s.getOutputStream();
                    out.write("1 client(s) asked\n%%p3-status 0\n".getBytes(StandardCharsets.UTF_8));
                    return line;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });

            ShellClient.Reply r = ShellClient.run(server.getLocalPort(), "p3:request all", Duration.ofSeconds(5));

            assertThat(received.get()).isEqualTo("p3:request all");
            assertThat(r.ok()).isTrue();
            assertThat(r.output()).isEqualTo("1 client(s) asked\n");
        }
    }
}
