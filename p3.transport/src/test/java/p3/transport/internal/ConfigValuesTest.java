package p3.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

import p3.transport.DiscoverySettings;
import p3.transport.LinkSettings;

/** The components' configuration strings, and what the settings records cannot check by themselves. */
class ConfigValuesTest {

    @Test
    void hostListsNameTheirProperty() {
        assertThatThrownBy(() -> ConfigValues.hosts("tcpInitialHosts", "127.0.0.1"))
                .hasMessageContaining("tcpInitialHosts");
        assertThatThrownBy(() -> ConfigValues.hosts("tcpInitialHosts", "127.0.0.1[70000]"))
                .hasMessageContaining("out of range");
        assertThat(ConfigValues.hosts("h", "127.0.0.1[7800], 127.0.0.1:7801")).hasSize(2);
    }

    @Test
    void theSettingsKnowTheLongestHeaderOfTheWireFormat() {
        assertThat(LinkSettings.FULL_HEADER).isEqualTo(WireFormat.MIN_HEADER + 4 * 255);
    }

    @Test
    void discoveryRefusesAnAddressOfAnotherHost() throws Exception {
        assertThatThrownBy(() -> new UdpDiscovery(new DiscoverySettings(InetAddress.getByName("192.0.2.1"), 1)))
                .hasMessageContaining("bindAddress");
    }
}
