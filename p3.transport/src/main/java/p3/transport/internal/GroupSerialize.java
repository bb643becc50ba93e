package p3.transport.internal;

import org.jgroups.Message;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.SERIALIZE;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.util.FastArray;
import org.jgroups.util.MessageBatch;

import p3.transport.Rejection;

/**
 * JGroups' SERIALIZE, placed on top of {@link GroupEncrypt}: every message, headers included, goes
 * down as the payload of another, so that the encryption covers (and its GCM tag authenticates)
 * the sequence numbers of NAKACK2 and UNICAST3, not only the payload. Messages that do not read
 * are refused and counted rather than thrown up the stack; so is a message that came in the clear
 * as a join or merge request (the only kinds {@link GroupEncrypt} lets through unencrypted) and
 * turns out to hold something else. Same protocol id as SERIALIZE.
 */
final class GroupSerialize extends SERIALIZE {

    private final Refusals refusals;
    private final String local;

    GroupSerialize(Refusals refusals, String local) {
        this.refusals = refusals;
        this.local = local;
        setId(ClassConfigurator.getProtocolId(SERIALIZE.class));
    }

    @Override
    public Object up(Message msg) {
        Message inner = unwrap(msg);
        return inner == null ? null : up_prot.up(inner);
    }

    @Override
    public void up(MessageBatch batch) {
        FastArray<Message>.FastIterator it = (FastArray<Message>.FastIterator) batch.iterator();
        while (it.hasNext()) {
            Message inner = unwrap(it.next());
            if (inner == null) {
                it.remove();
            } else {
                it.replace(inner);
            }
        }
        if (!batch.isEmpty()) {
            up_prot.up(batch);
        }
    }

    private Message unwrap(Message msg) {
        Message inner;
        try {
            inner = deserialize(msg.getSrc(), msg.getArray(), msg.getOffset(), msg.getLength());
        } catch (Exception e) {
            refusals.refuse(Rejection.BAD_GROUP_MESSAGE, local, "a message from " + msg.getSrc() + " that does not read");
            return null;
        }
        GMS.GmsHeader outer = msg.getHeader(GMS_ID);
        if (GroupEncrypt.plaintext(outer)) {
            GMS.GmsHeader in = inner.getHeader(GMS_ID);
            if (in == null || in.getType() != outer.getType()) {
                refusals.refuse(Rejection.BAD_GROUP_MESSAGE, local, "a message in the clear from " + msg.getSrc()
                        + " that is not the " + GMS.GmsHeader.type2String(outer.getType()) + " it claims");
                return null;
            }
        }
        return inner;
    }
}
