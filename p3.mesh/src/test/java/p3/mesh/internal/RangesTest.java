package p3.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class RangesTest {

    private static List<String> ranges(Ranges r) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < r.count(); i++) {
            out.add(r.lo(i) + "-" + r.hi(i));
        }
        return out;
    }

    @Test
    void startsEmpty() {
        Ranges r = new Ranges();
        assertThat(r.isEmpty()).isTrue();
        assertThat(r.count()).isZero();
    }

    @Test
    void consecutiveNumbersMakeOneRange() {
        Ranges r = new Ranges();
        for (long s = 5; s <= 500; s++) {
            r.add(s);
        }
        assertThat(r.isEmpty()).isFalse();
        assertThat(ranges(r)).containsExactly("5-500");
    }

    @Test
    void aGapStartsANewRange() {
        Ranges r = new Ranges();
        r.add(1);
        r.add(2);
        r.add(4);
        r.add(5);
        r.add(9);
        assertThat(ranges(r)).containsExactly("1-2", "4-5", "9-9");
    }

    @Test
    void aRepeatInsideTheLastRangeAddsNothing() {
        Ranges r = new Ranges();
        for (long s = 10; s <= 20; s++) {
            r.add(s);
        }
        r.add(10);
        r.add(15);
        r.add(20);
        assertThat(ranges(r)).containsExactly("10-20");
        r.add(21);
        assertThat(ranges(r)).as("still extends after repeats").containsExactly("10-21");
    }

    @Test
    void aNumberBelowTheLastRangeStartsANewOne() {
        // arrivals are almost in order: one out of order costs a range, never a wrong one
        Ranges r = new Ranges();
        r.add(10);
        r.add(11);
        r.add(3);
        r.add(4);
        assertThat(ranges(r)).containsExactly("10-11", "3-4");
    }

    @Test
    void explicitRangesAreKeptAsGiven() {
        Ranges r = new Ranges();
        r.add(1, 100);
        r.add(200, 200);
        r.add(101);
        assertThat(ranges(r)).containsExactly("1-100", "200-200", "101-101");
    }

    @Test
    void manyRangesGrowTheArray() {
        Ranges r = new Ranges();
        int n = 1000;
        for (int i = 0; i < n; i++) {
            r.add(3L * i); // every number a gap from the one before
        }
        assertThat(r.count()).isEqualTo(n);
        for (int i = 0; i < n; i++) {
            assertThat(r.lo(i)).isEqualTo(3L * i);
            assertThat(r.hi(i)).isEqualTo(3L * i);
        }
    }

    @Test
    void extremeSequenceNumbers() {
        Ranges r = new Ranges();
        r.add(Long.MAX_VALUE - 1);
        r.add(Long.MAX_VALUE);
        r.add(Long.MAX_VALUE); // a repeat at the top must not overflow into a new range
        assertThat(ranges(r)).containsExactly((Long.MAX_VALUE - 1) + "-" + Long.MAX_VALUE);
    }
}
