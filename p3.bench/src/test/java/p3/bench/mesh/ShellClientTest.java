package p3.bench.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void sendsOneLineAndReadsTheAnswerUntilTheRuntimeCloses(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("shell.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> {
                try (SocketChannel s = server.accept()) {
                    String line = new BufferedReader(new InputStreamReader(Channels.newInputStream(s),
                            StandardCharsets.UTF_8)).readLine();
                    s.write(ByteBuffer.wrap("1 client(s) asked\n%%p3-status 0\n".getBytes(StandardCharsets.UTF_8)));
                    return line;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });

            ShellClient.Reply r = ShellClient.run(socket, "p3:request all", Duration.ofSeconds(5));

            assertThat(received.get()).isEqualTo("p3:request all");
            assertThat(r.ok()).isTrue();
            assertThat(r.output()).isEqualTo("1 client(s) asked\n");
        }
    }
}
