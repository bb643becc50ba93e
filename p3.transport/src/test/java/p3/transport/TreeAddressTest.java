package p3.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

class TreeAddressTest {

    @Test
    void reportsWorkedExampleGivesPort1003() {
        InetSocketAddress base = new InetSocketAddress("228.1.2.2", 1000);
        assertThat(TreeAddress.of(base, "011", 2)).isEqualTo(new InetSocketAddress("228.1.2.2", 1003));
    }

    @Test
    void positionsAreBreadthFirst() {
        String[] span2 = { "0", "01", "02", "011", "012", "021", "022", "0111" };
        for (int i = 0; i < span2.length; i++) {
            assertThat(TreeAddress.treePos(span2[i], 2)).as(span2[i]).isEqualTo(i);
        }
        assertThat(TreeAddress.treePos("03", 3)).isEqualTo(3);
        assertThat(TreeAddress.treePos("011", 3)).isEqualTo(4);
        assertThat(TreeAddress.treePos("033", 3)).isEqualTo(12);
    }

    @Test
    void refusesCellsThatAreNotOfTheTree() {
        assertThatThrownBy(() -> TreeAddress.treePos("1", 2)).hasMessageContaining("starts with the root 0");
        assertThatThrownBy(() -> TreeAddress.treePos("013", 2)).hasMessageContaining("not within 1..2");
        assertThatThrownBy(() -> TreeAddress.treePos("00", 2)).hasMessageContaining("not within 1..2");
        assertThatThrownBy(() -> TreeAddress.treePos("0" + "1".repeat(32), 2)).hasMessageContaining("at most 31");
        assertThatThrownBy(() -> TreeAddress.treePos("01", 0)).hasMessageContaining("span");
    }

    @Test
    void refusesPortsPastTheRange() {
        InetSocketAddress base = new InetSocketAddress("228.1.2.2", 65000);
        assertThatThrownBy(() -> TreeAddress.of(base, "0" + "2".repeat(10), 2)).hasMessageContaining("needs port");
    }
}
