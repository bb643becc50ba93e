package p3.transport.internal;

import java.util.Iterator;

import org.jgroups.Message;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.AUTH;
import org.jgroups.protocols.AuthHeader;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.util.MessageBatch;

import p3.transport.Rejection;

/**
 * JGroups' AUTH with a {@link MeshAuthToken}: joins, merges and join responses carry a token
 * signed afresh for each message, and those without a valid one are refused (the joiner gets a
 * rejection and is never in a view). Unlike AUTH, a refusal is counted and logged at a bounded
 * rate ({@link Refusals}), and a join without a token is dropped instead of thrown up the stack.
 * Same protocol id as AUTH: the wire is AUTH's.
 */
final class MeshAuth extends AUTH {

    private final MeshAuthToken verifier;
    private final Refusals refusals;
    private final String local;

    MeshAuth(MeshAuthToken verifier, Refusals refusals, String local) {
        this.verifier = verifier;
        this.refusals = refusals;
        this.local = local;
        setId(ClassConfigurator.getProtocolId(AUTH.class));
        setAuthToken(verifier);
        verifier.setAuth(this);
        setAuthCoord(true);
    }

    @Override
    public Object down(Message msg) {
        GMS.GmsHeader hdr = getGMSHeader(msg);
        if (hdr != null && needsAuthentication(msg, hdr)) {
            msg.putHeader(id, new AuthHeader(verifier.signed(local_addr)));
        }
        return down_prot.down(msg);
    }

    @Override
    public Object up(Message msg) {
        return admitted(msg) ? up_prot.up(msg) : null;
    }

    @Override
    public void up(MessageBatch batch) {
        Iterator<Message> it = batch.iterator();
        while (it.hasNext()) {
            if (!admitted(it.next())) {
                it.remove();
            }
        }
        if (!batch.isEmpty()) {
            up_prot.up(batch);
        }
    }

    /** False when a join, merge or join response without a valid token is refused (counted, and answered). */
    private boolean admitted(Message msg) {
        GMS.GmsHeader gms = getGMSHeader(msg);
        if (gms == null || !needsAuthentication(msg, gms)) {
            return true;
        }
        AuthHeader auth = msg.getHeader(id);
        boolean valid;
        if (auth == null) {
            refusals.refuse(Rejection.UNTRUSTED_MEMBER, local, GMS.GmsHeader.type2String(gms.getType())
                    + " without a token from " + msg.getSrc());
            valid = false;
        } else {
            valid = verifier.authenticate(auth.getToken(), msg); // counts its refusals
        }
        if (!valid) {
            sendRejectionMessage(gms.getType(), msg.getSrc(), "not a member of this mesh");
        }
        return valid;
    }
}
