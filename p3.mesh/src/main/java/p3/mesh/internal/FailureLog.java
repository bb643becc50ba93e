package p3.mesh.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import p3.mesh.FailureRecord;
import p3.mesh.RebindKind;

/**
 * The failures a peer saw: a record from detection on, which says how the rebind went once it
 * has. Written on the strand, read by anyone.
 */
final class FailureLog {

    private final String self;
    private final List<FailureRecord> records = new CopyOnWriteArrayList<>();

    FailureLog(String self) {
        this.self = self;
    }

    /** @return the record's index, to complete it when the peer is bound again */
    int seen(String failed, String how, long detectedNanos) {
        records.add(new FailureRecord(self, failed, how, detectedNanos, null, 0));
        return records.size() - 1;
    }

    /** @return the failure, now with its rebind */
    FailureRecord rebound(int index, RebindKind kind, long boundNanos) {
        FailureRecord f = records.get(index);
        FailureRecord r = new FailureRecord(self, f.failed(), f.how(), f.detectedNanos(), kind, boundNanos);
        records.set(index, r);
        return r;
    }

    List<FailureRecord> all() {
        return List.copyOf(records);
    }
}
