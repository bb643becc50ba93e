package p3.transport.internal;

import java.security.Key;
import java.security.KeyPair;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

import org.jgroups.Address;
import org.jgroups.Message;
import org.jgroups.View;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.ASYM_ENCRYPT;
import org.jgroups.protocols.EncryptHeader;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.util.AsciiString;
import org.jgroups.util.MessageBatch;
import org.jgroups.util.Util;

import p3.transport.Rejection;

/**
 * JGroups' ASYM_ENCRYPT with the group key fetched by {@link GroupKeyExchange} (mutual TLS with the
 * key server, the coordinator), AES in GCM mode, and every refusal counted instead of logged per
 * message.
 * <p>
 * What keeps a message from being altered: AES/GCM, with a random 96-bit IV per message, and the
 * whole message (headers, sender, flags and payload, serialized by {@link GroupSerialize} above)
 * as its plaintext; the 128-bit tag fails on any change, and a message of a forger without the
 * group key fails it too. What keeps it from being replayed: the sequence numbers of NAKACK2
 * (multicast) and UNICAST3 (unicast) travel inside that authenticated plaintext, so a copy is a
 * duplicate that they drop; and the group key changes when the coordinator changes (and when a
 * member leaves), so that old traffic does not decrypt in a later group.
 * <p>
 * Left in the clear, as in JGroups: the join and merge requests, view acks and digest requests
 * ({@link #PLAINTEXT}), which AUTH ({@link MeshAuth}) checks; everything else without an encrypt
 * header is refused here. The built-in key exchange of ASYM_ENCRYPT is off: key material that
 * comes with a message is refused, never installed. Same protocol id as ASYM_ENCRYPT.
 */
final class GroupEncrypt extends ASYM_ENCRYPT {

    /** GMS messages ASYM_ENCRYPT passes in the clear with an external key exchange. */
    static boolean plaintext(GMS.GmsHeader hdr) {
        if (hdr == null) {
            return false;
        }
        return switch (hdr.getType()) {
        case GMS.GmsHeader.JOIN_REQ, GMS.GmsHeader.JOIN_REQ_WITH_STATE_TRANSFER, GMS.GmsHeader.MERGE_REQ,
                GMS.GmsHeader.MERGE_RSP, GMS.GmsHeader.VIEW_ACK, GMS.GmsHeader.GET_DIGEST_REQ,
                GMS.GmsHeader.GET_DIGEST_RSP -> true;
        default -> false;
        };
    }

    /** GCM's full tag: a forger's chance to pass is 2^-128 per message. */
    private static final int TAG_BITS = 128;
    /** GCM's own IV length; random per message, so the key must change before about 2^32 messages. */
    private static final int IV_BYTES = 12;

    /** Messages held while this member waits for the group key: a newcomer's first ones, or after a rekey. */
    private static final int MAX_HELD = 4096;

    private final Refusals refusals;
    private final String local;
    private final ArrayDeque<Message> held = new ArrayDeque<>();

    /** @param pair the member's own (EC) key pair: ASYM_ENCRYPT keeps one, and never uses it with an external exchange */
    GroupEncrypt(KeyPair pair, Refusals refusals, String local) {
        this.refusals = refusals;
        this.local = local;
        setId(ClassConfigurator.getProtocolId(ASYM_ENCRYPT.class));
        setUseExternalKeyExchange(true);
        // a new key when the key server changes (JGroups' default) and when a member leaves
        setChangeKeyOnCoordLeave(true);
        setChangeKeyOnLeave(true);
        symAlgorithm("AES/GCM/NoPadding");
        symIvLength(IV_BYTES);
        symKeylength(128);
        this.key_pair = pair;
    }

    /** No RSA pair (that takes a second to make) and no RSA cipher: nothing here decrypts a group key. */
    @Override
    protected void initKeyPair() {
    }

    @Override
    protected boolean processEncryptMessage(Message msg, EncryptHeader hdr, boolean retval) {
        if (hdr != null && (retval || hdr.type() == EncryptHeader.INSTALL_KEYS)) {
            // a join or merge request never carries key material here, and no key comes with a message
            refusals.refuse(Rejection.BAD_GROUP_MESSAGE, local, "key material in a message from " + msg.getSrc());
            return retval;
        }
        if (hdr != null && hdr.type() == EncryptHeader.FETCH_SHARED_KEY && holds(hdr.version())) {
            // ASYM_ENCRYPT fetches on every such message, and a resent JOIN_RSP or VIEW (UNICAST3 and
            // NAKACK2 resend above this protocol, through it) asked for another TLS round with the key
            // server for a key already here: measured, a newcomer ran a fetch per resend for seconds,
            // threads blocked in handshakes, and a crash of the key server left them failing on it
            // while the new view waited for the CPU
            return retval;
        }
        return super.processEncryptMessage(msg, hdr, retval);
    }

    @Override
    public Object up(Message msg) {
        if (inTheClear(msg)) {
            return null;
        }
        return super.up(msg);
    }

    @Override
    public void up(MessageBatch batch) {
        Iterator<Message> it = batch.iterator();
        while (it.hasNext()) {
            if (inTheClear(it.next())) {
                it.remove();
            }
        }
        if (!batch.isEmpty()) {
            super.up(batch);
        }
    }

    /** True (and counted) for a message that should be encrypted and is not. */
    private boolean inTheClear(Message msg) {
        if (msg.getHeader(id) != null || plaintext(msg.getHeader(GMS_ID))) {
            return false;
        }
        refusals.refuse(Rejection.BAD_GROUP_MESSAGE, local, "a message in the clear from " + msg.getSrc());
        return true;
    }

    @Override
    protected boolean inView(Address sender, String error_msg) {
        View v = view;
        if (v == null || v.containsMember(sender)) {
            return true;
        }
        refusals.refuse(Rejection.BAD_GROUP_MESSAGE, local, "a message from non-member " + sender);
        return false;
    }

    /*
     * JGroups' Encrypt initializes its ciphers with an IvParameterSpec, which the JDK's GCM refuses
     * (it wants a GCMParameterSpec, with the tag length); these two are Encrypt's code() and
     * _decrypt() with GCM's parameters. _decrypt also uses the key of the message's version where
     * Encrypt's code() would use the current one.
     */

    @Override
    protected byte[] code(byte[] buf, int offset, int length, byte[] iv, boolean decode) throws Exception {
        return gcm(decode ? decoding_ciphers : encoding_ciphers, decode ? Cipher.DECRYPT_MODE : Cipher.ENCRYPT_MODE,
                secret_key, iv, buf, offset, length);
    }

    @Override
    protected Message _decrypt(Cipher cipher, Key key, Message msg, EncryptHeader hdr) throws Exception {
        if (!msg.hasPayload()) {
            return msg; // nothing to decrypt: GroupSerialize refuses it, as every message it sends has a payload
        }
        byte[] plain;
        if (cipher == null) {
            plain = gcm(decoding_ciphers, Cipher.DECRYPT_MODE, key, hdr.iv(), msg.getArray(), msg.getOffset(),
                    msg.getLength());
        } else {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, hdr.iv()));
            plain = cipher.doFinal(msg.getArray(), msg.getOffset(), msg.getLength());
        }
        return hdr.needsDeserialization() ? Util.messageFromBuffer(plain, 0, plain.length)
                : msg.setArray(plain, 0, plain.length);
    }

    private static byte[] gcm(BlockingQueue<Cipher> pool, int mode, Key key, byte[] iv, byte[] buf, int offset,
            int length) throws Exception {
        if (iv == null || iv.length != IV_BYTES) {
            throw new java.security.InvalidAlgorithmParameterException("no 96-bit IV");
        }
        Cipher c = pool.take();
        try {
            c.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
            return c.doFinal(buf, offset, length);
        } finally {
            pool.offer(c);
        }
    }

    /**
     * A message under a key this member does not have yet is held, not dropped: a newcomer gets the
     * view (and the coordinator sends to the new view at once, a cell's records for one) before it
     * has fetched the group key, and NAKACK2 would resend a dropped message only once a later one
     * shows the gap, which in a quiet cell may be never. Held copies go up when the key comes.
     */
    @Override
    protected Message decrypt(javax.crypto.Cipher cipher, Message msg) throws Exception {
        try {
            Message plain = super.decrypt(cipher, msg);
            if (plain == null && awaitingKey(msg)) {
                hold(msg);
            }
            return plain;
        } catch (InterruptedException e) {
            // this member's channel is closing (it leaves the cell, or stops) and its threads are interrupted
            // while waiting for a cipher: no sign of a bad message, and counted as one it was a refusal per
            // cell left, a WARNING in every rebuild (Test II)
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            // a bad tag (altered, or encrypted with another key of the same version) or a garbled message
            refusals.refuse(Rejection.BAD_GROUP_MESSAGE, local, "a message from " + msg.getSrc()
                    + " that does not decrypt: " + e);
            return null;
        }
    }

    /** Whether the key of this version is installed (current, or kept for the messages sent under it). */
    private boolean holds(byte[] version) {
        return version != null && (Arrays.equals(version, sym_version) || key_map.containsKey(new AsciiString(version)));
    }

    /** Whether the message is a member's, under a key version this member has not installed. */
    private boolean awaitingKey(Message msg) {
        EncryptHeader hdr = msg.getHeader(id);
        byte[] version = hdr == null ? null : hdr.version();
        View v = view;
        return version != null && !Arrays.equals(version, sym_version)
                && !key_map.containsKey(new AsciiString(version)) && (v == null || v.containsMember(msg.getSrc()));
    }

    private void hold(Message msg) {
        synchronized (held) {
            if (held.size() == MAX_HELD) {
                held.removeFirst();
                refusals.refuse(Rejection.BAD_GROUP_MESSAGE, local, "more than " + MAX_HELD
                        + " messages under a key it never got: the oldest dropped");
            }
            held.addLast(msg);
        }
    }

    /** The key came (from the key server, over TLS): what waited for it goes up, in arrival order. */
    @Override
    protected synchronized void installSharedGroupKey(Address sender, SecretKey key, byte[] version) throws Exception {
        super.installSharedGroupKey(sender, key, version);
        List<Message> waiting;
        synchronized (held) {
            waiting = new ArrayList<>(held);
            held.clear();
        }
        for (Message m : waiting) {
            Message plain = decrypt(null, m); // under a version still unknown, it is held again
            if (plain != null) {
                up_prot.up(plain);
            }
        }
    }
}
