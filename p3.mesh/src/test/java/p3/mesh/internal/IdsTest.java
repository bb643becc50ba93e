package p3.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import p3.mesh.CellId;
import p3.mesh.PeerIds;

class IdsTest {

    @Test
    void cellIdsKnowTheirPlace() {
        CellId c = CellId.of("012", 2);
        assertThat(c.depth()).isEqualTo(2);
        assertThat(c.parent()).hasToString("01");
        assertThat(c.parent().parent()).isSameAs(CellId.ROOT);
        assertThat(CellId.ROOT.contains(c)).isTrue();
        assertThat(CellId.ROOT.childToward(c)).hasToString("01");
        assertThat(CellId.of("02", 2).contains(c)).isFalse();
        assertThatThrownBy(CellId.ROOT::parent).hasMessageContaining("no parent");
        assertThatThrownBy(() -> CellId.of("013", 2)).hasMessageContaining("not within 1..2");
    }

    @Test
    void levenshteinDistance() {
        assertThat(PeerIds.distance("sp01", "sp01")).isZero();
        assertThat(PeerIds.distance("sp01", "sp02")).isEqualTo(1);
        assertThat(PeerIds.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(PeerIds.distance("", "abc")).isEqualTo(3);
    }

    @Test
    void peerIdsAreChecked() {
        assertThatThrownBy(() -> PeerIds.check("a b")).hasMessageContaining("letters, digits");
        assertThatThrownBy(() -> PeerIds.check("")).hasMessageContaining("1 to 64");
    }
}
