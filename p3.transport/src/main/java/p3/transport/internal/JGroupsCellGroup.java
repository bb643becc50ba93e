package p3.transport.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.jgroups.util.NameCache;
import org.jgroups.util.Util;

import p3.transport.CellGroup;
import p3.transport.CellGroupListener;
import p3.transport.CellView;
import p3.transport.TransportException;

/** One member's view of a JGroups channel, translated to names and byte arrays. */
final class JGroupsCellGroup implements CellGroup, Receiver {

    private static final System.Logger LOG = System.getLogger(JGroupsCellGroup.class.getName());

    private final CellGroupListener listener;
    private JChannel channel;
    private volatile View view;

    JGroupsCellGroup(CellGroupListener listener) {
        this.listener = listener;
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
        View v = view;
        if (v != null) {
            for (Address a : v.getMembers()) {
                if (member.equals(name(a))) {
                    send(a, payload, member);
                    return;
                }
            }
        }
        throw new TransportException(localMember() + ": " + member + " is not a member of " + channel.getClusterName());
    }

    private void send(Address to, byte[] payload, String what) throws TransportException {
        try {
            BytesMessage m = new BytesMessage(to, payload);
            if (to == null) {
                // to the others only: a member that heard its own announcements would treat its own
                // children as a mate's, and decode its own replicas for nothing
                m.setFlag(Message.TransientFlag.DONT_LOOPBACK);
            }
            channel.send(m);
        } catch (Exception e) {
            throw new TransportException(localMember() + ": cannot send to " + what + " of " + channel.getClusterName()
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void leave() {
        channel.close();
    }

    @Override
    public void crash() {
        try {
            // drops everything below GMS and closes the sockets: no leave message gets out
            Util.shutdown(channel);
        } catch (Exception e) {
            LOG.log(Level.WARNING, () -> localMember() + ": crash of its cell group failed, closing it", e);
            channel.close();
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
