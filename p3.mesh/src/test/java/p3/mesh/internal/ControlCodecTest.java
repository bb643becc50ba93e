package p3.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import p3.mesh.CellId;
import p3.mesh.PeerRole;
import p3.transport.Frame;
import p3.transport.TrafficClass;

class ControlCodecTest {

    private final ControlCodec codec = new ControlCodec(2);

    @Test
    void recordsAndRoutedFramesSurviveTheWire() {
        PeerRecord r = new PeerRecord("sp-7", PeerRole.SUPER, CellId.of("021", 2), "sp-3",
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 4711), 9);
        Frame f = Frame.data(TrafficClass.VIDEO, "sensor-1", "011", "client", "0", 77, new byte[] { 1, 2, 3 });
        Control c = new Control(Control.Kind.ROUTE, 42, "text", List.of(r), f);
        Control back = codec.decode(codec.encode(c));
        assertThat(back.kind()).isEqualTo(Control.Kind.ROUTE);
        assertThat(back.id()).isEqualTo(42);
        assertThat(back.records()).containsExactly(r);
        assertThat(back.frame().payload()).containsExactly(1, 2, 3);
        assertThat(back.frame().sequence()).isEqualTo(77);
        assertThat(back.frame().targetPeer()).isEqualTo("client");
    }

    @Test
    void garbageIsRefusedWithAReason() {
        assertThatThrownBy(() -> codec.decode(new byte[] { 9 })).hasMessageContaining("version 9");
        assertThatThrownBy(() -> codec.decode(new byte[] { 1, 99 })).hasMessageContaining("kind 99");
        PeerRecord r = new PeerRecord("sp", PeerRole.SUPER, CellId.of("03", 3), "", new InetSocketAddress(0), 1);
        byte[] span3 = new ControlCodec(3).encode(Control.records(Control.Kind.JOIN, 1, List.of(r)));
        assertThatThrownBy(() -> codec.decode(span3)).as("cell 03 is outside a span-2 tree")
                .isInstanceOf(ControlCodec.MalformedControlException.class);
        Random random = new Random(7);
        byte[] good = codec.encode(Control.records(Control.Kind.JOIN, 1,
                List.of(new PeerRecord("sp", PeerRole.SUPER, CellId.ROOT, "", new InetSocketAddress(0), 1))));
        for (int i = 0; i < 2000; i++) {
            byte[] bad = java.util.Arrays.copyOf(good, random.nextInt(good.length + 1));
            if (bad.length > 0) {
                bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
            }
            try {
                codec.decode(bad);
            } catch (ControlCodec.MalformedControlException expected) {
                // refused with a reason, never anything else
            }
        }
    }
}
