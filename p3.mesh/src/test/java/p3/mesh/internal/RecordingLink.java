package p3.mesh.internal;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import p3.transport.Frame;
import p3.transport.Link;
import p3.transport.TrafficClass;

/**
 * A link for unit tests of the mesh's parts: it records what is sent on it and refuses when told to
 * or once closed. Closing it does not call any handler; a test that wants a close to be heard calls
 * the handler itself.
 */
final class RecordingLink implements Link {

    final String remote;
    final TrafficClass cls;
    final List<Frame> sent = new CopyOnWriteArrayList<>();
    volatile boolean writable = true;
    volatile boolean open = true;
    volatile boolean aborted;

    RecordingLink(String remote, TrafficClass cls) {
        this.remote = remote;
        this.cls = cls;
    }

    @Override
    public String remotePeer() {
        return remote;
    }

    @Override
    public TrafficClass trafficClass() {
        return cls;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 1);
    }

    @Override
    public boolean send(Frame frame) {
        if (!open || !writable) {
            return false;
        }
        sent.add(frame);
        return true;
    }

    @Override
    public boolean isWritable() {
        return open && writable;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }

    @Override
    public void abort() {
        open = false;
        aborted = true;
    }

    @Override
    public String toString() {
        return "RecordingLink[" + remote + " " + cls.id() + "]";
    }
}
