package p3.bench.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import p3.mesh.ClassStats;
import p3.mesh.FailureRecord;
import p3.mesh.RebindKind;

/** The JSON of a runtime's p3:stats --json and p3:failures --json, as p3.report.base's MeshJson writes it. */
class ShellJsonTest {

    /** A client's runtime, with a log line that the command's thread wrote before the answer. */
    static final String CLIENT_STATS = "04:27:17.173 INFO client: link VIDEO to sp02 /127.0.0.1:36199 idle, closing\n"
            + "{\"clients\":[{\"peer\":\"client\",\"classes\":{\"audio\":{\"sent_reported\":119,\"received\":118,\"lost\":1,"
            + "\"duplicates\":2,\"late\":3,\"corrupt\":0,\"latency_ms\":{\"mean\":2.145,\"stddev\":0.500,\"p50\":2.100,"
            + "\"p99\":4.000,\"max\":5.250}},\"video\":{\"sent_reported\":75,\"received\":75,\"lost\":0,\"duplicates\":0,"
            + "\"late\":1,\"corrupt\":0,\"latency_ms\":{\"mean\":0.000,\"stddev\":0.000,\"p50\":0.000,\"p99\":0.000,"
            + "\"max\":0.000}}}}],\"peers\":[{\"peer\":\"client\",\"role\":\"client\",\"cell\":\"0\",\"state\":\"BOUND\","
            + "\"parents\":[\"sp01\",\"sp02\"],\"control_bytes\":5723,\"payload_bytes\":0,\"control_messages\":128,"
            + "\"payload_messages\":0,\"unroutable\":0,\"ft\":{\"strategy\":\"-\",\"held\":0,\"replica_messages\":0,"
            + "\"replica_bytes\":0,\"acknowledged\":0,\"resent\":0,\"taken_over\":0,\"not_held\":0}}],"
            + "\"cpu_s\":2.460,\"heap_mb\":11.7}\n";

    static final String SUPER_STATS = "{\"clients\":[],\"peers\":[{\"peer\":\"sp03\",\"role\":\"super\",\"cell\":\"01\","
            + "\"state\":\"BOUND\",\"parents\":[\"sp01\"],\"control_bytes\":100,\"payload_bytes\":2000,"
            + "\"control_messages\":10,\"payload_messages\":20,\"unroutable\":0,\"ft\":{\"strategy\":\"active\","
            + "\"held\":3,\"replica_messages\":7,\"replica_bytes\":700,\"acknowledged\":1,\"resent\":0,"
            + "\"taken_over\":0,\"not_held\":0}}],\"cpu_s\":4.000,\"heap_mb\":20.5}";

    @Test
    void readsTheClientsClassesInOrder() {
        ShellJson.RuntimeStats s = ShellJson.stats(CLIENT_STATS);

        assertThat(s.clientClasses()).containsExactly(
                new ClassStats("audio", 119, 118, 1, 2, 3, 0, 2.145, 0.5, 2.1, 4.0, 5.25),
                new ClassStats("video", 75, 75, 0, 0, 1, 0, 0, 0, 0, 0, 0));
        assertThat(s.cpuSeconds()).isEqualTo(2.46);
        assertThat(s.heapMb()).isEqualTo(11.7);
    }

    @Test
    void readsEachPeersCountersParentsAndReplication() {
        ShellJson.RuntimeStats s = ShellJson.stats(SUPER_STATS);

        assertThat(s.clientClasses()).isEmpty();
        assertThat(s.peers()).containsExactly(new ShellJson.PeerStats("sp03", "super", "01", "BOUND", List.of("sp01"),
                100, 10, 2000, 20, 700, 7));
    }

    @Test
    void aPeerWithoutACellHasANullCell() {
        ShellJson.RuntimeStats s = ShellJson.stats(SUPER_STATS.replace("\"cell\":\"01\"", "\"cell\":null"));

        assertThat(s.peers().get(0).cell()).isNull();
    }

    @Test
    void readsFailuresWithAndWithoutRebind() {
        String json = "{\"failures\":[{\"observer\":\"sensor1\",\"failed\":\"sp03\",\"how\":\"link\","
                + "\"detected_nanos\":24542212211128,\"rebind\":null,\"bound_nanos\":0},{\"observer\":\"sp05\","
                + "\"failed\":\"sp03\",\"how\":\"view\",\"detected_nanos\":100,\"rebind\":\"FAST\",\"bound_nanos\":3100}]}\n";

        assertThat(ShellJson.failures(json)).containsExactly(
                new FailureRecord("sensor1", "sp03", "link", 24542212211128L, null, 0),
                new FailureRecord("sp05", "sp03", "view", 100, RebindKind.FAST, 3100));
        assertThat(ShellJson.failures("{\"failures\":[]}")).isEmpty();
    }

    @Test
    void aMissingOrMistypedFieldIsNamed() {
        assertThatThrownBy(() -> ShellJson.stats(SUPER_STATS.replace("\"heap_mb\":20.5", "\"heap\":20.5")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("heap_mb");
        assertThatThrownBy(() -> ShellJson.stats(SUPER_STATS.replace("\"control_bytes\":100", "\"control_bytes\":\"x\"")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("control_bytes");
        assertThatThrownBy(() -> ShellJson.failures("{\"failures\":[{\"observer\":\"a\",\"failed\":\"b\",\"how\":\"link\","
                + "\"detected_nanos\":1,\"rebind\":\"SOON\",\"bound_nanos\":0}]}"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("SOON");
    }

    @Test
    void anAnswerWithoutJsonIsNamed() {
        assertThatThrownBy(() -> ShellJson.stats("no peer runs in this runtime\n"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("p3:stats --json answered no JSON");
        assertThatThrownBy(() -> ShellJson.failures("{\"failures\":[}"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("malformed");
    }

    @Test
    void readsWhatTheClientDeliveredWithItsHolesAndSlots() {
        String json = "{\"clients\":[{\"peer\":\"client\",\"classes\":[{\"class\":\"audio\",\"slot_nanos\":100000000,"
                + "\"streams\":[{\"source\":\"sensor1\",\"sent\":10,\"distinct\":8,\"deliveries\":8,\"out_of_order\":1,"
                + "\"holes\":[[3,4,1,777],[10,10,1,-1]],\"holes_left_off\":0}],\"slots\":[[700,8,2500,1]]}]}]}";

        assertThat(ShellJson.deliveries("a log line first\n" + json)).containsExactly(new p3.mesh.Deliveries("audio",
                100_000_000, List.of(new p3.mesh.Deliveries.Stream("sensor1", 10, 8, 8, 1, List.of(
                        new p3.mesh.Deliveries.Hole(3, 4, 1, 777), new p3.mesh.Deliveries.Hole(10, 10, 1, -1)), 0)),
                List.of(new p3.mesh.Deliveries.Slot(700, 8, 2500, 1))));
    }
}
