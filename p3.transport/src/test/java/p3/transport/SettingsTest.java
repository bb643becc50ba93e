package p3.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

/** A bad setting fails with a message that names the property. */
class SettingsTest {

    @Test
    void linkSettingsNameTheirProperty() {
        LinkSettings d = LinkSettings.defaults();
        assertThatThrownBy(() -> d.withWaterMarks(1024, 512)).hasMessageContaining("writeBufferHighWaterMark")
                .hasMessageContaining("writeBufferLowWaterMark");
        assertThatThrownBy(() -> new LinkSettings(0, true, 1 << 20, 1, 2, 1, 1, 2)).hasMessageContaining("ioThreads");
        assertThatThrownBy(() -> new LinkSettings(1, true, 10, 1, 2, 1, 1, 2)).hasMessageContaining("maxFrameLength")
                .hasMessageContaining("1046 bytes");
        assertThatThrownBy(() -> new LinkSettings(1, true, 1 << 20, 1, 2, 1, 100, 100))
                .hasMessageContaining("idleTimeoutMs");
    }

    @Test
    void groupSettingsNameTheirProperty() {
        assertThatThrownBy(() -> GroupSettings.Stack.parse("carrier-pigeon")).hasMessageContaining("stack");
        assertThat(GroupSettings.Stack.parse(" Local ")).isEqualTo(GroupSettings.Stack.LOCAL);
        assertThatThrownBy(() -> GroupSettings.defaults().withFailureDetection(500, 400, 100))
                .hasMessageContaining("failureTimeoutMs");
        assertThatThrownBy(() -> GroupSettings.defaults().withTcp(7800, 2, List.of()))
                .hasMessageContaining("tcpInitialHosts");
    }

    @Test
    void discoverySettingsNameTheirProperty() {
        assertThatThrownBy(() -> new DiscoverySettings(InetAddress.getLoopbackAddress(), 300))
                .hasMessageContaining("ipTtl");
        assertThatThrownBy(() -> new DiscoverySettings(null, 1)).hasMessageContaining("bindAddress");
        assertThat(DiscoverySettings.defaults())
                .isEqualTo(new DiscoverySettings(InetAddress.getLoopbackAddress(), 1));
    }
}
