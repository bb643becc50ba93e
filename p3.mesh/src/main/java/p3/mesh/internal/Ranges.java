package p3.mesh.internal;

import java.util.Arrays;

/**
 * Sequence numbers as closed ranges, for acknowledgements: a stream's frames arrive almost in
 * order, so a batch of hundreds is a range or two. Not thread-safe.
 */
final class Ranges {

    private long[] bounds = new long[4];
    private int count; // ranges; range i is [bounds[2i], bounds[2i+1]]

    void add(long seq) {
        if (count > 0) {
            int last = 2 * (count - 1);
            if (seq >= bounds[last] && seq <= bounds[last + 1]) {
                return;
            }
            if (seq == bounds[last + 1] + 1) {
                bounds[last + 1] = seq;
                return;
            }
        }
        add(seq, seq);
    }

    void add(long lo, long hi) {
        if (2 * count + 2 > bounds.length) {
            bounds = Arrays.copyOf(bounds, bounds.length * 2);
        }
        bounds[2 * count] = lo;
        bounds[2 * count + 1] = hi;
        count++;
    }

    int count() {
        return count;
    }

    long lo(int i) {
        return bounds[2 * i];
    }

    long hi(int i) {
        return bounds[2 * i + 1];
    }

    boolean isEmpty() {
        return count == 0;
    }
}
