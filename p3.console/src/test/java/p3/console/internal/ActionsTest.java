package p3.console.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import p3.mesh.MeshPeer;
import p3.mesh.PeerRole;
import p3.mesh.PeerState;
import p3.mesh.audit.AuditLog;
import p3.report.testing.FakePeer;

/** The console's actions: each written to the audit log with its outcome, refused ones too. */
class ActionsTest {

    final List<String> audit = new ArrayList<>();
    final AuditLog log = (who, what, outcome) -> audit.add(who + " | " + what + " | " + outcome);
    final FakePeer sp01 = new FakePeer("sp01", PeerRole.SUPER, "0");
    final FakePeer sp03 = new FakePeer("sp03", PeerRole.SUPER, "01");
    final ConsoleCounters counters = new ConsoleCounters();
    final Actions actions = new Actions(() -> List.<MeshPeer>of(sp01, sp03), () -> List.of("active", "passive"), null,
            log, counters);

    static JsonNode json(String s) throws Exception {
        return new ObjectMapper().readTree(s);
    }

    @Test
    void aCrashIsDoneAndAudited() throws Exception {
        String done = actions.run("console 127.0.0.1:5000", json("{\"action\":\"crash\",\"peer\":\"sp03\"}"));

        assertThat(done).isEqualTo("sp03 crashed");
        assertThat(sp03.state).isEqualTo(PeerState.CRASHED);
        assertThat(audit).containsExactly("console 127.0.0.1:5000 | crash sp03 | ok");
        assertThat(counters.actionsOk.get()).isEqualTo(1);
    }

    @Test
    void aSwapForThisRuntimeOrTheWholeMesh() throws Exception {
        actions.run("c", json("{\"action\":\"ft\",\"strategy\":\"passive\",\"scope\":\"runtime\"}"));
        actions.run("c", json("{\"action\":\"ft\",\"strategy\":\"active\",\"scope\":\"mesh\"}"));

        assertThat(sp01.asked).containsExactly("useFtStrategy passive", "useFtStrategyEverywhere active");
        assertThat(sp03.asked).containsExactly("useFtStrategy passive");
        assertThat(audit).containsExactly("c | ft passive | ok", "c | ft --mesh active | ok");
    }

    @Test
    void aFailedActionIsAuditedWithWhy() {
        assertThatThrownBy(() -> actions.run("c", json("{\"action\":\"ft\",\"strategy\":\"nope\"}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("active, passive");
        assertThatThrownBy(() -> actions.run("c", json("{\"action\":\"leave\",\"peer\":\"sp99\"}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no peer sp99");
        assertThatThrownBy(() -> actions.run("c", json("{\"action\":\"reboot\"}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("there are crash");

        assertThat(audit).containsExactly("c | ft nope | failed: no FT strategy nope in this runtime; there are: active,"
                + " passive", "c | leave sp99 | failed: no peer sp99 in this runtime",
                "c | reboot | failed: no action 'reboot'; there are crash, leave, ft, load, unload");
        assertThat(counters.actionsFailed.get()).isEqualTo(3);
    }

    @Test
    void aRefusalIsCountedAndAudited() throws Exception {
        actions.refused("console 127.0.0.1:6000", Actions.describe(json("{\"action\":\"unload\",\"class\":\"video\"}")));

        assertThat(audit).containsExactly("console 127.0.0.1:6000 | unload video | refused: no or a wrong operator token");
        assertThat(counters.actionsRefused.get()).isEqualTo(1);
    }
}
