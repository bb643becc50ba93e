package p3.mesh.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import p3.transport.CellGroup;

/**
 * A cell group for unit tests of the mesh's parts: it records what is offered to the cell and to
 * single members, and refuses when told to. Nothing reaches any other member.
 */
final class RecordingCellGroup implements CellGroup {

    /** Something offered to one member, or to all ({@code member} null). */
    record Offer(String member, byte[] payload) {
    }

    final String self;
    final List<Offer> offers = new CopyOnWriteArrayList<>();
    volatile List<String> members;
    volatile boolean accepting = true;
    final AtomicLong refused = new AtomicLong();

    RecordingCellGroup(String self, List<String> members) {
        this.self = self;
        this.members = List.copyOf(members);
    }

    /** The payloads offered to every member. */
    List<byte[]> toAll() {
        return offers.stream().filter(o -> o.member() == null).map(Offer::payload).toList();
    }

    @Override
    public String localMember() {
        return self;
    }

    @Override
    public List<String> members() {
        return members;
    }

    @Override
    public void send(byte[] payload) {
        offer(payload);
    }

    @Override
    public void send(String member, byte[] payload) {
        offer(member, payload);
    }

    @Override
    public boolean offer(byte[] payload) {
        if (!accepting) {
            refused.incrementAndGet();
            return false;
        }
        offers.add(new Offer(null, payload));
        return true;
    }

    @Override
    public boolean offer(String member, byte[] payload) {
        if (!accepting || !members.contains(member)) {
            refused.incrementAndGet();
            return false;
        }
        offers.add(new Offer(member, payload));
        return true;
    }

    @Override
    public long refused() {
        return refused.get();
    }

    @Override
    public void leave() {
        accepting = false;
    }

    @Override
    public CompletionStage<Void> leaveAsync() {
        accepting = false;
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void crash() {
        accepting = false;
    }
}
