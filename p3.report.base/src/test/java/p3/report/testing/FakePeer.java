package p3.report.testing;

import java.util.ArrayList;
import java.util.List;

import p3.mesh.CellId;
import p3.mesh.ClassStats;
import p3.mesh.Deliveries;
import p3.mesh.FailureRecord;
import p3.mesh.FtCounters;
import p3.mesh.MeshPeer;
import p3.mesh.PeerCounters;
import p3.mesh.PeerRole;
import p3.mesh.PeerState;
import p3.mesh.Qos;
import p3.mesh.StrandStats;

/** A peer that says what a test sets, and records what it was asked to do. */
public final class FakePeer implements MeshPeer {

    public final String id;
    public final PeerRole role;
    public volatile PeerState state = PeerState.BOUND;
    public volatile CellId cell;
    public volatile List<String> parents = List.of();
    public volatile List<String> links = List.of();
    public volatile List<String> tree = List.of();
    public volatile List<FailureRecord> failures = List.of();
    public volatile List<ClassStats> classes = List.of();
    public volatile PeerCounters counters = new PeerCounters(0, 0, 0, 0, 0, 0);
    public volatile StrandStats strand = new StrandStats(0, 0, 0, 0, false);
    public volatile FtCounters ft = new FtCounters("hybrid", 0, 0, 0, 0, 0, 0, 0);
    public final List<String> asked = new ArrayList<>();

    public FakePeer(String id, PeerRole role, String cell) {
        this.id = id;
        this.role = role;
        this.cell = cell == null ? null : CellId.of(cell, 2);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public PeerRole role() {
        return role;
    }

    @Override
    public PeerState state() {
        return state;
    }

    @Override
    public CellId cell() {
        return cell;
    }

    @Override
    public List<String> parents() {
        return parents;
    }

    @Override
    public List<String> links() {
        return links;
    }

    @Override
    public List<FailureRecord> failures() {
        return failures;
    }

    @Override
    public List<String> tree() {
        return tree;
    }

    @Override
    public synchronized void requestAll(String trafficClass, Qos qos) {
        asked.add("request " + trafficClass);
    }

    @Override
    public synchronized void stopSources() {
        asked.add("stopSources");
    }

    @Override
    public synchronized void restartLatency() {
        asked.add("restartLatency");
    }

    @Override
    public List<ClassStats> classStats() {
        return classes;
    }

    @Override
    public List<Deliveries> deliveries() {
        return List.of();
    }

    @Override
    public PeerCounters counters() {
        return counters;
    }

    @Override
    public StrandStats strand() {
        return strand;
    }

    @Override
    public FtCounters ft() {
        return ft;
    }

    @Override
    public synchronized void useFtStrategy(String name) {
        asked.add("useFtStrategy " + name);
    }

    @Override
    public synchronized void useFtStrategyEverywhere(String name) {
        asked.add("useFtStrategyEverywhere " + name);
    }

    @Override
    public synchronized void crash() {
        asked.add("crash");
        state = PeerState.CRASHED;
    }

    @Override
    public synchronized void leave() {
        asked.add("leave");
        state = PeerState.LEFT;
    }
}
