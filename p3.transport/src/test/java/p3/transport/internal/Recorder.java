package p3.transport.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import p3.transport.CloseReason;
import p3.transport.Frame;
import p3.transport.Link;
import p3.transport.LinkHandler;

/** A link handler that keeps what it saw, for assertions. */
final class Recorder implements LinkHandler {
    final List<Link> opened = new CopyOnWriteArrayList<>();
    final List<Frame> frames = new CopyOnWriteArrayList<>();
    final Map<Link, Frame> lastByLink = new ConcurrentHashMap<>();
    final Map<Link, CloseReason> closed = new ConcurrentHashMap<>();

    @Override
    public void onOpen(Link link) {
        opened.add(link);
    }

    @Override
    public void onFrame(Link link, Frame frame) {
        Frame kept = frame.copy(); // the link frees the frame's payload when this returns
        frames.add(kept);
        lastByLink.put(link, kept);
    }

    @Override
    public void onClose(Link link, CloseReason reason) {
        closed.put(link, reason);
    }
}
