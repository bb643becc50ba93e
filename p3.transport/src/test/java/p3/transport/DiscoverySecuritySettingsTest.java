package p3.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The settings of signed discovery name their property; the 1.1 forms keep their meaning. */
class DiscoverySecuritySettingsTest {

    @Test
    void badValuesNameTheirProperty() {
        DiscoverySettings d = DiscoverySettings.defaults();
        assertThat(d.freshness()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.replayCacheSize()).isEqualTo(4096);
        assertThat(d.certificateRecheck()).isEqualTo(Duration.ofSeconds(5));
        assertThat(new DiscoverySettings(InetAddress.getLoopbackAddress(), 1)).isEqualTo(d);
        assertThatThrownBy(() -> d.withSignedDatagrams(Duration.ZERO, 4096, Duration.ZERO))
                .hasMessageContaining("freshness");
        assertThatThrownBy(() -> d.withSignedDatagrams(Duration.ofSeconds(1), 1, Duration.ZERO))
                .hasMessageContaining("replayCacheSize");
        assertThatThrownBy(() -> d.withSignedDatagrams(Duration.ofSeconds(1), 64, Duration.ofSeconds(-1)))
                .hasMessageContaining("certificateRecheck");
    }

    @Test
    void aSpecWithoutCredentialsIsInTheClear() {
        DiscoverySpec clear = new DiscoverySpec(new InetSocketAddress("228.1.2.3", 7000), 2, true, List.of(), 0);
        assertThat(clear.credentials()).isNull();
        assertThat(clear.secure()).isFalse();
        assertThat(clear.toString()).contains("in the clear");
        assertThat(clear.withCredentials(null)).isEqualTo(clear);
        assertThat(new DiscoveryReply(new InetSocketAddress(1), new byte[0]).sender()).isNull();
    }
}
