package p3.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

/** A bad configuration value fails with a message that names the property. */
class SettingsTest {

    @Test
    void linkSettingsNameTheirProperty() {
        LinkSettings d = LinkSettings.defaults();
        assertThatThrownBy(() -> d.withWaterMarks(1024, 512)).hasMessageContaining("writeBufferHighWaterMark")
                .hasMessageContaining("writeBufferLowWaterMark");
        assertThatThrownBy(() -> new LinkSettings(0, true, 1 << 20, 1, 2, 1, 1, 2)).hasMessageContaining("ioThreads");
        assertThatThrownBy(() -> new LinkSettings(1, true, 10, 1, 2, 1, 1, 2)).hasMessageContaining("maxFrameLength");
        assertThatThrownBy(() -> new LinkSettings(1, true, 1 << 20, 1, 2, 1, 100, 100))
                .hasMessageContaining("idleTimeoutMs");
    }

    @Test
    void groupSettingsNameTheirProperty() {
        assertThatThrownBy(() -> GroupSettings.Stack.parse("carrier-pigeon")).hasMessageContaining("stack");
        assertThatThrownBy(() -> GroupSettings.hosts("tcpInitialHosts", "127.0.0.1")).hasMessageContaining(
                "tcpInitialHosts");
        assertThatThrownBy(() -> GroupSettings.hosts("tcpInitialHosts", "127.0.0.1[70000]"))
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> GroupSettings.defaults().withFailureDetection(500, 400, 100))
                .hasMessageContaining("failureTimeoutMs");
        assertThatThrownBy(() -> GroupSettings.defaults().withTcp(7800, 2, List.of()))
                .hasMessageContaining("tcpInitialHosts");
        assertThat(GroupSettings.hosts("h", "127.0.0.1[7800], 127.0.0.1:7801")).hasSize(2);
    }

    @Test
    void discoveryRefusesAnAddressOfAnotherHost() throws Exception {
        assertThatThrownBy(() -> new UdpDiscovery(InetAddress.getByName("192.0.2.1"), 1))
                .hasMessageContaining("bindAddress");
        assertThatThrownBy(() -> new UdpDiscovery(InetAddress.getLoopbackAddress(), 300))
                .hasMessageContaining("ipTtl");
    }
}
