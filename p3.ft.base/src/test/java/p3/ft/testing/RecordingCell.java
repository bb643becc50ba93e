package p3.ft.testing;

import java.util.ArrayList;
import java.util.List;

import p3.mesh.spi.FtCell;

/**
 * A test double of the mesh's side of a strategy: it serves a PeerId, a cell's members and a
 * count of unreplicated changes, and records every call a policy makes, in order, as
 * {@code "replicate"}, {@code "replicateWithin 1000"}, {@code "takeOver sp01"},
 * {@code "resendFrom 0.1"}. Like the mesh's store once its replica has left, a replicate call
 * leaves nothing unreplicated.
 */
public final class RecordingCell implements FtCell {

    private final String peerId;
    private final List<String> calls = new ArrayList<>();
    private List<String> members;
    private int unreplicated;

    public RecordingCell(String peerId, String... members) {
        this.peerId = peerId;
        this.members = List.of(members);
    }

    /** The store holds {@code n} more changes (messages held or acknowledged) than the last replica gave. */
    public RecordingCell change(int n) {
        unreplicated += n;
        return this;
    }

    public RecordingCell members(String... now) {
        members = List.of(now);
        return this;
    }

    /** The calls made so far, in order. */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    /** The calls made so far, forgotten: what a test checks next starts from here. */
    public List<String> takeCalls() {
        List<String> out = List.copyOf(calls);
        calls.clear();
        return out;
    }

    @Override
    public String peerId() {
        return peerId;
    }

    @Override
    public List<String> members() {
        return members;
    }

    @Override
    public void replicate() {
        calls.add("replicate");
        unreplicated = 0;
    }

    @Override
    public void replicateWithin(long micros) {
        calls.add("replicateWithin " + micros);
        unreplicated = 0;
    }

    @Override
    public int unreplicated() {
        return unreplicated;
    }

    @Override
    public int takeOver(String failedMate) {
        calls.add("takeOver " + failedMate);
        return 0;
    }

    @Override
    public int resendFrom(String cell) {
        calls.add("resendFrom " + cell);
        return 0;
    }
}
