package p3.transport.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.jgroups.protocols.DISCARD;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.TP;
import org.jgroups.stack.ProtocolStack;
import org.jgroups.util.NameCache;
import org.jgroups.util.Util;

import p3.transport.CellGroup;
import p3.transport.CellGroupListener;
import p3.transport.CellView;
import p3.transport.TransportException;

/**
 * One member's view of a JGroups channel, translated to names and byte arrays.
 * <p>
 * Offers wait in one FIFO queue per group, group-wide and member-addressed alike, so that a
 * replica never overtakes an earlier message of the same group. A drain task on the shared sender
 * pool hands them to the channel, at most {@link #BATCH} per turn; at most one drain task of a
 * group exists at a time, which keeps the order without a thread per group. Offered arrays are not
 * copied: the offering side must not change them afterwards.
 */
final class JGroupsCellGroup implements CellGroup, Receiver {

    private static final System.Logger LOG = System.getLogger(JGroupsCellGroup.class.getName());

    /*
     * The bound of a group's queue: 8 MiB of payload or 16384 messages, whichever comes first.
     * 8 MiB is above one window of JGroups flow-control credits (UFC/MFC max_credits, 5 MB by
     * default), so that one stall for credits (a replenishment round trip to the slowest member)
     * fits in the queue instead of being refused; at Table I's traffic (about 142 KB/s and 87
     * messages/s per sensor) it is also more than ten seconds of replicas for a cell on the path of
     * five sensors. The message count bounds the queue's own overhead when the messages are small
     * (cell announcements of a few dozen bytes), about 1 MiB of queue nodes at most.
     */
    static final long MAX_QUEUED_BYTES = 8L << 20;
    static final int MAX_QUEUED_MESSAGES = 16384;
    /** Messages one turn of the drain hands over before the other groups on the sender pool get theirs. */
    private static final int BATCH = 64;

    /** OPEN takes offers; LEAVING drains what was offered then leaves; CLOSED lets nothing more out. */
    private enum State {
        OPEN, LEAVING, CLOSED
    }

    /** @param to null for the whole group (but this member) */
    private record Outgoing(Address to, byte[] payload) {
    }

    /** Queued behind every offer accepted before the leave: the channel closes when the drain reaches it. */
    private static final Outgoing LEAVE = new Outgoing(null, new byte[0]);

    private final CellGroupListener listener;
    private final Executor sender;
    private final Executor closer;
    private final Consumer<JGroupsCellGroup> onGone;
    private JChannel channel;
    private volatile View view;

    private final Queue<Outgoing> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queuedMessages = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicReference<State> state = new AtomicReference<>(State.OPEN);
    /**
     * Offers that never reached the group: refused at once (full, not a member, left or crashed),
     * failed when handed over, or accepted and then dropped by a crash.
     */
    private final LongAdder refused = new LongAdder();
    private final CompletableFuture<Void> gone = new CompletableFuture<>();

    /**
     * @param sender the shared pool that drains the queues of all groups
     * @param closer where a leave closes the channel (it waits for the group's leave protocol)
     * @param onGone told once the member has left or crashed
     */
    JGroupsCellGroup(CellGroupListener listener, Executor sender, Executor closer, Consumer<JGroupsCellGroup> onGone) {
        this.listener = listener;
        this.sender = sender;
        this.closer = closer;
        this.onGone = onGone;
    }

    /** The channel, for tests that look into the stack. */
    JChannel channel() {
        return channel;
    }

    void attach(JChannel ch) {
        this.channel = ch;
        ch.setReceiver(this);
    }

    @Override
    public String localMember() {
        return channel.getName();
    }

    @Override
    public List<String> members() {
        View v = view;
        return v == null ? List.of() : names(v.getMembers());
    }

    @Override
    public void send(byte[] payload) throws TransportException {
        send(null, payload, "the cell");
    }

    @Override
    public void send(String member, byte[] payload) throws TransportException {
        Address a = address(member);
        if (a == null) {
            throw new TransportException(localMember() + ": " + member + " is not a member of " + channel.getClusterName());
        }
        send(a, payload, member);
    }

    private void send(Address to, byte[] payload, String what) throws TransportException {
        try {
            channel.send(message(to, payload));
        } catch (Exception e) {
            throw new TransportException(localMember() + ": cannot send to " + what + " of " + channel.getClusterName()
                    + ": " + e.getMessage(), e);
        }
    }

    private static Message message(Address to, byte[] payload) {
        BytesMessage m = new BytesMessage(to, payload);
        if (to == null) {
            // to the others only: a member that heard its own announcements would treat its own
            // children as a mate's, and decode its own replicas for nothing
            m.setFlag(Message.TransientFlag.DONT_LOOPBACK);
        }
        return m;
    }

    /** The member's address in the current view, or null. */
    private Address address(String member) {
        View v = view;
        if (v != null) {
            for (Address a : v.getMembers()) {
                if (member.equals(name(a))) {
                    return a;
                }
            }
        }
        return null;
    }

    @Override
    public boolean offer(byte[] payload) {
        return enqueue(null, payload);
    }

    @Override
    public boolean offer(String member, byte[] payload) {
        Address a = address(member);
        if (a == null) {
            return refuse();
        }
        return enqueue(a, payload);
    }

    @Override
    public long refused() {
        return refused.sum();
    }

    private boolean refuse() {
        refused.increment();
        return false;
    }

    private boolean enqueue(Address to, byte[] payload) {
        if (state.get() != State.OPEN) {
            return refuse();
        }
        // reserve first, then queue: concurrent offers near the bound may refuse one too many, never
        // let one too many in
        if (queuedMessages.incrementAndGet() > MAX_QUEUED_MESSAGES) {
            queuedMessages.decrementAndGet();
            return refuse();
        }
        if (queuedBytes.addAndGet(payload.length) > MAX_QUEUED_BYTES) {
            queuedBytes.addAndGet(-payload.length);
            queuedMessages.decrementAndGet();
            return refuse();
        }
        queue.add(new Outgoing(to, payload));
        schedule();
        return true;
    }

    /** Starts a drain unless one is under way (which sees the new message before it stops). */
    private void schedule() {
        if (draining.compareAndSet(false, true)) {
            try {
                sender.execute(this::drain);
            } catch (RejectedExecutionException e) {
                // the cell groups service is closed (it leaves its groups first, so this is a group it
                // gave up on): nothing would hand the queue over, so stop as a crash does
                draining.set(false);
                LOG.log(Level.DEBUG, () -> localMember() + ": cell groups closed, dropping cell group "
                        + channel.getClusterName());
                crash();
            }
        }
    }

    private void drain() {
        try {
            for (int i = 0; i < BATCH; i++) {
                Outgoing o = queue.poll();
                if (o == null) {
                    break;
                }
                if (o == LEAVE) {
                    leaveNow();
                    continue;
                }
                release(o);
                if (state.get() == State.CLOSED) {
                    refused.increment(); // crashed or left meanwhile: it never reached the group
                    continue;
                }
                try {
                    channel.send(message(o.to(), o.payload()));
                } catch (Exception e) {
                    refused.increment();
                    LOG.log(Level.DEBUG, () -> localMember() + ": cannot hand an offer to "
                            + (o.to() == null ? "the cell" : name(o.to())) + " of " + channel.getClusterName(), e);
                }
            }
        } finally {
            draining.set(false);
            // an offer queued after the last poll found the drain still running and did not start one
            if (!queue.isEmpty()) {
                schedule();
            }
        }
    }

    private void release(Outgoing o) {
        queuedMessages.decrementAndGet();
        queuedBytes.addAndGet(-o.payload().length);
    }

    /** Drops what waits, counted as refused: it was accepted but never reached the group. */
    private void dropQueued() {
        Outgoing o;
        while ((o = queue.poll()) != null) {
            if (o != LEAVE) {
                release(o);
                refused.increment();
            }
        }
    }

    @Override
    public void leave() {
        // the same path as leaveAsync, so that the offers still queued go first
        leaveAsync().toCompletableFuture().join();
    }

    @Override
    public CompletionStage<Void> leaveAsync() {
        if (state.compareAndSet(State.OPEN, State.LEAVING)) {
            queue.add(LEAVE);
            schedule();
        }
        // leaving, left or crashed already: the same outcome; a copy, so that no caller can complete it
        return gone.copy();
    }

    /** The drain reached the leave: nothing more goes out, and the channel closes on the closer. */
    private void leaveNow() {
        if (!state.compareAndSet(State.LEAVING, State.CLOSED)) {
            return; // crashed meanwhile
        }
        Runnable close = () -> {
            try {
                // waits for GMS's leave protocol: the others get a new view at once
                channel.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, () -> localMember() + ": leaving cell group " + channel.getClusterName()
                        + " failed", e);
            } finally {
                gone();
            }
        };
        try {
            closer.execute(close);
        } catch (RejectedExecutionException e) {
            close.run(); // the service is closing: leave on this thread rather than not at all
        }
    }

    @Override
    public void crash() {
        State was = state.getAndSet(State.CLOSED);
        dropQueued();
        if (was == State.CLOSED && gone.isDone()) {
            return; // already left or crashed
        }
        try {
            silence();
            closeTransportSockets();
            closeFailureDetector();
            // drops everything below GMS and closes the rest: no leave message gets out
            Util.shutdown(channel, false);
        } catch (Exception e) {
            LOG.log(Level.WARNING, () -> localMember() + ": crash of its cell group failed, closing it", e);
            channel.close();
        } finally {
            gone();
        }
    }

    /**
     * A killed process answers nothing from the moment its sockets close. Util.shutdown stops the
     * traffic only after FD_SOCK2 is closed here (and after its own steps): in between, the
     * cell-mate that suspected the member on the closed connection sent it an ARE_YOU_DEAD, which
     * this still-running stack answered; the verification then dropped the suspicion, and the member
     * was excluded only by FD_ALL3's silence, about a second later (one crash in ten measured). So
     * the stack goes deaf and mute first.
     */
    private void silence() throws Exception {
        DISCARD discard = new DISCARD().setAddress(channel.getAddress()).discardAll(true);
        channel.getProtocolStack().insertProtocol(discard, ProtocolStack.Position.ABOVE, TP.class);
    }

    /** On the tcp stack, the transport's sockets close with the failure detector's, not after the shutdown. */
    private void closeTransportSockets() {
        if (channel.getProtocolStack().getTransport() instanceof CellTcp tcp) {
            tcp.closeSockets();
        }
    }

    /**
     * A killed process's sockets all close at once. Util.shutdown closes FD_SOCK2's server only when
     * the stack stops, after the channel's own shutdown: closed first here, so that the cell-mates
     * see a crash as they would see a real one. Its handler goes first, so that the closing member
     * does not take its own closed connections for its neighbours' failures and suspect them.
     */
    private void closeFailureDetector() {
        FD_SOCK2 fd = channel.getProtocolStack().findProtocol(FD_SOCK2.class);
        if (fd != null) {
            fd.setHandlerToNull();
            fd.stop();
        }
    }

    /** Closes the channel on this thread with a goodbye, dropping what waits: the service is closing. */
    void closeNow() {
        state.set(State.CLOSED);
        dropQueued();
        try {
            channel.close();
        } finally {
            gone();
        }
    }

    private void gone() {
        if (gone.complete(null)) {
            onGone.accept(this);
        }
    }

    @Override
    public void viewAccepted(View next) {
        View previous = view;
        view = next;
        List<String> joined = new ArrayList<>();
        List<String> left = new ArrayList<>();
        if (previous != null) {
            for (Address a : View.newMembers(previous, next)) {
                joined.add(name(a));
            }
            for (Address a : View.leftMembers(previous, next)) {
                left.add(name(a));
            }
        } else {
            joined.addAll(names(next.getMembers()));
        }
        try {
            listener.onView(new CellView(next.getViewId().getId(), names(next.getMembers()), joined, left));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, () -> localMember() + ": cell group listener failed on view " + next, e);
        }
    }

    @Override
    public void receive(Message msg) {
        byte[] payload = msg.getArray();
        if (msg.getOffset() != 0 || msg.getLength() != payload.length) {
            payload = java.util.Arrays.copyOfRange(payload, msg.getOffset(), msg.getOffset() + msg.getLength());
        }
        try {
            listener.onMessage(name(msg.getSrc()), payload);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, () -> localMember() + ": cell group listener failed on a message", e);
        }
    }

    void suspected(Address member) {
        try {
            listener.onSuspect(name(member));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, () -> localMember() + ": cell group listener failed on a suspicion", e);
        }
    }

    private static String name(Address a) {
        String n = NameCache.get(a);
        return n != null ? n : a.toString();
    }

    private static List<String> names(List<Address> members) {
        List<String> out = new ArrayList<>(members.size());
        for (Address a : members) {
            out.add(name(a));
        }
        return out;
    }

}
