package p3.mesh.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import p3.transport.CellGroup;
import p3.transport.CellGroupListener;
import p3.transport.CellGroups;
import p3.transport.CellView;
import p3.transport.GroupSpec;
import p3.transport.TransportException;

/**
 * Cell groups in memory: the groups of one cluster name see each other's views and messages. A
 * join puts the member last in the view and tells every member (the newcomer too, before its join
 * completes, as JGroups may); a leave or a crash tells the others at once (a crash is suspected
 * first), with no failure detection to wait for. A message goes to every other member, or to one.
 * Views and messages of a cluster are delivered under its lock, so that every member hears them in
 * one order. A test may hold joins ({@link #holdJoins}), and act when a group's members are read
 * ({@link #onMembers}).
 */
final class FakeCellGroups implements CellGroups {

    private final FakeTransport net;
    private final Map<String, Cluster> clusters = new ConcurrentHashMap<>();
    private final List<Runnable> heldJoins = new ArrayList<>();
    private volatile boolean holdingJoins;
    /** Runs whenever the mesh reads a group's members: lets a test act in the middle of a strand's task. */
    volatile java.util.function.Consumer<Member> onMembers = m -> { };

    FakeCellGroups(FakeTransport net) {
        this.net = net;
    }

    @Override
    public CellGroup join(GroupSpec spec, CellGroupListener listener) throws TransportException {
        throw new TransportException("fake: the mesh joins with joinAsync");
    }

    @Override
    public CompletionStage<CellGroup> joinAsync(GroupSpec spec, CellGroupListener listener) {
        Cluster c = cluster(spec.cluster());
        Member m = new Member(c, spec.member(), listener);
        FakeTransport.Watched<CellGroup> done = net.stage("join of " + spec.member() + " to " + spec.cluster());
        Runnable join = () -> {
            c.add(m);
            done.complete(m);
        };
        if (holdingJoins) {
            synchronized (heldJoins) {
                heldJoins.add(join);
            }
        } else {
            join.run();
        }
        return done;
    }

    @Override
    public String stack() {
        return "fake";
    }

    Cluster cluster(String name) {
        return clusters.computeIfAbsent(name, Cluster::new);
    }

    /** The members of a cluster now, oldest first. */
    List<String> members(String cluster) {
        return cluster(cluster).names();
    }

    /** From now on, joins wait until {@link #releaseJoins}. */
    void holdJoins(boolean on) {
        holdingJoins = on;
    }

    int releaseJoins() {
        List<Runnable> go;
        synchronized (heldJoins) {
            go = List.copyOf(heldJoins);
            heldJoins.clear();
        }
        go.forEach(Runnable::run);
        return go.size();
    }

    /** One group name: its members and its views. */
    final class Cluster {
        final String name;
        private final List<Member> members = new ArrayList<>();
        private long viewId;

        Cluster(String name) {
            this.name = name;
        }

        synchronized List<String> names() {
            return members.stream().map(m -> m.name).toList();
        }

        synchronized void add(Member m) {
            members.add(m);
            view(List.of(m.name), List.of());
        }

        synchronized void remove(Member m, boolean crashed) {
            if (!members.remove(m)) {
                return;
            }
            if (crashed) {
                for (Member o : List.copyOf(members)) {
                    net.call(o.name + ": onSuspect", () -> o.listener.onSuspect(m.name));
                }
            }
            view(List.of(), List.of(m.name));
        }

        private void view(List<String> joined, List<String> left) {
            CellView v = new CellView(++viewId, names(), joined, left);
            for (Member o : List.copyOf(members)) {
                net.call(o.name + ": onView", () -> o.listener.onView(v));
            }
        }

        /**
         * A view such as a merge of groups founded apart gives: members in the merge's order, which
         * may hold more than the mesh let in (the names it does not know stand for the other side).
         */
        synchronized void mergedView(List<String> order) {
            CellView v = new CellView(++viewId, List.copyOf(order), List.of(), List.of());
            for (Member o : List.copyOf(members)) {
                net.call(o.name + ": onView", () -> o.listener.onView(v));
            }
        }

        synchronized boolean send(Member from, String to, byte[] payload) {
            if (!members.contains(from) || (to != null && members.stream().noneMatch(m -> m.name.equals(to)))) {
                return false;
            }
            for (Member o : List.copyOf(members)) {
                if (o != from && (to == null || o.name.equals(to))) {
                    net.call(o.name + ": onMessage", () -> o.listener.onMessage(from.name, payload));
                }
            }
            return true;
        }
    }

    /** One member's group. */
    final class Member implements CellGroup {
        final Cluster cluster;
        final String name;
        final CellGroupListener listener;
        private final LongAdder refused = new LongAdder();
        volatile boolean gone;

        Member(Cluster cluster, String name, CellGroupListener listener) {
            this.cluster = cluster;
            this.name = name;
            this.listener = listener;
        }

        @Override
        public String localMember() {
            return name;
        }

        @Override
        public List<String> members() {
            onMembers.accept(this);
            return cluster.names();
        }

        @Override
        public void send(byte[] payload) throws TransportException {
            if (!offer(payload)) {
                throw new TransportException("fake: " + name + " is not in " + cluster.name);
            }
        }

        @Override
        public void send(String member, byte[] payload) throws TransportException {
            if (!offer(member, payload)) {
                throw new TransportException("fake: " + member + " is not in " + cluster.name);
            }
        }

        @Override
        public boolean offer(byte[] payload) {
            return offered(null, payload);
        }

        @Override
        public boolean offer(String member, byte[] payload) {
            return offered(member, payload);
        }

        private boolean offered(String to, byte[] payload) {
            if (gone || !cluster.send(this, to, payload)) {
                refused.increment();
                return false;
            }
            return true;
        }

        @Override
        public long refused() {
            return refused.sum();
        }

        @Override
        public void leave() {
            leaveAsync();
        }

        @Override
        public CompletionStage<Void> leaveAsync() {
            gone = true;
            cluster.remove(this, false);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void crash() {
            gone = true;
            cluster.remove(this, true);
        }

        @Override
        public String toString() {
            return "Member[" + name + " of " + cluster.name + "]";
        }
    }
}
