package p3.transport.internal;

import java.io.ByteArrayInputStream;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;

import org.jgroups.Address;
import org.jgroups.Message;
import org.jgroups.auth.AuthToken;
import org.jgroups.util.ByteArrayDataOutputStream;
import org.jgroups.util.NameCache;
import org.jgroups.util.Util;

import p3.security.PeerCredentials;
import p3.security.PeerIdentity;
import p3.transport.Rejection;

/**
 * The proof a cell member gives with its join, merge or join response: its certificate chain and
 * its signature, by the key of that certificate, over the cluster's name, its own address and
 * name, and the time. The receiver ({@link #authenticate}) checks the chain against the mesh's
 * trust, the signature, that the certificate names the member, that the message comes from the
 * address signed for, and that the time is recent: a token copied off the wire serves only the
 * same address, for {@link #WINDOW} at most, and still gets the copier no group key (that needs
 * the certificate's key, in {@link GroupKeyExchange}'s TLS).
 * <p>
 * Wire form, after JGroups' own class name: {@code cluster (UTF) | address | name (UTF) | time
 * (long, ms) | certificates (short count, then int length + DER each) | signature (int length +
 * bytes)}. The instance in the local stack verifies; those read from the wire are values.
 */
public final class MeshAuthToken extends AuthToken {

    /** How old (or how far ahead, for clocks that differ) a token may be: as the CA's own skew. */
    static final Duration WINDOW = Duration.ofMinutes(5);
    private static final int MAX_CERTIFICATES = 4;
    private static final int MAX_LENGTH = 16 * 1024;
    private static final String PURPOSE = "p3 cell member";

    // what the wire carries
    private String cluster;
    private Address address;
    private String name;
    private long time;
    private byte[][] certificates;
    private byte[] signature;
    private byte[] encoded;

    // the verifier's, in the local stack only
    private PeerCredentials credentials;
    private Refusals refusals;

    /** For JGroups, which makes tokens it reads by their class name. */
    public MeshAuthToken() {
    }

    /** The verifier of a stack, that also signs what its member sends. */
    MeshAuthToken(String cluster, PeerCredentials credentials, Refusals refusals) {
        this.cluster = cluster;
        this.credentials = credentials;
        this.refusals = refusals;
    }

    /** A fresh token of the local member, signed now. */
    MeshAuthToken signed(Address local) {
        MeshAuthToken t = new MeshAuthToken();
        t.cluster = cluster;
        t.address = local;
        t.name = credentials.identity().peerId();
        t.time = System.currentTimeMillis();
        X509Certificate[] chain = credentials.chain();
        t.certificates = new byte[chain.length][];
        try {
            for (int i = 0; i < chain.length; i++) {
                t.certificates[i] = chain[i].getEncoded();
            }
            t.signature = credentials.sign(t.signedPart());
            ByteArrayDataOutputStream out = new ByteArrayDataOutputStream(1024);
            t.write(out);
            t.encoded = out.buffer().length == out.position() ? out.buffer()
                    : java.util.Arrays.copyOf(out.buffer(), out.position());
        } catch (IOException | CertificateException e) {
            throw new IllegalStateException(name + ": cannot make its cell token: " + e, e);
        }
        return t;
    }

    private byte[] signedPart() throws IOException {
        ByteArrayDataOutputStream out = new ByteArrayDataOutputStream(256);
        out.writeUTF(PURPOSE);
        out.writeUTF(cluster);
        Util.writeAddress(address, out);
        out.writeUTF(name);
        out.writeLong(time);
        return java.util.Arrays.copyOf(out.buffer(), out.position());
    }

    private void write(DataOutput out) throws IOException {
        out.writeUTF(cluster);
        Util.writeAddress(address, out);
        out.writeUTF(name);
        out.writeLong(time);
        out.writeShort(certificates.length);
        for (byte[] c : certificates) {
            out.writeInt(c.length);
            out.write(c);
        }
        out.writeInt(signature.length);
        out.write(signature);
    }

    @Override
    public void writeTo(DataOutput out) throws IOException {
        if (encoded == null) {
            throw new IOException("a verifier's token is not sent: send a signed() one");
        }
        out.write(encoded);
    }

    @Override
    public void readFrom(DataInput in) throws IOException, ClassNotFoundException {
        cluster = in.readUTF();
        address = Util.readAddress(in);
        name = in.readUTF();
        time = in.readLong();
        int n = in.readShort();
        if (n < 1 || n > MAX_CERTIFICATES) {
            throw new IOException("bad certificate count: " + n);
        }
        certificates = new byte[n][];
        for (int i = 0; i < n; i++) {
            certificates[i] = bytes(in);
        }
        signature = bytes(in);
    }

    private static byte[] bytes(DataInput in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_LENGTH) {
            throw new IOException("bad length: " + length);
        }
        byte[] b = new byte[length];
        in.readFully(b);
        return b;
    }

    @Override
    public int size() {
        return encoded == null ? 0 : encoded.length;
    }

    @Override
    public String getName() {
        return MeshAuthToken.class.getName();
    }

    @Override
    public boolean authenticate(AuthToken token, Message msg) {
        String local = credentials.identity().peerId();
        if (!(token instanceof MeshAuthToken t) || t.certificates == null) {
            refusals.refuse(Rejection.UNTRUSTED_MEMBER, local, "a member without a mesh token from " + msg.getSrc());
            return false;
        }
        String refusal = t.refusal(this, msg.getSrc());
        if (refusal != null) {
            refusals.refuse(Rejection.UNTRUSTED_MEMBER, local, refusal);
            return false;
        }
        // the name others announced for this address (discovery is not authenticated) yields to the certificate's
        NameCache.add(t.address, t.name);
        return true;
    }

    /** Why this token is refused by {@code verifier}, or null when it proves its member. */
    private String refusal(MeshAuthToken verifier, Address src) {
        String who = name + " at " + src;
        if (!verifier.cluster.equals(cluster)) {
            return who + ": a token for cell group " + cluster;
        }
        if (src == null || !src.equals(address)) {
            return who + ": a token signed for address " + address;
        }
        long age = Math.abs(System.currentTimeMillis() - time);
        if (age > WINDOW.toMillis()) {
            return who + ": a token " + age / 1000 + " s away from now";
        }
        try {
            CertificateFactory f = CertificateFactory.getInstance("X.509");
            X509Certificate[] chain = new X509Certificate[certificates.length];
            for (int i = 0; i < chain.length; i++) {
                chain[i] = (X509Certificate) f.generateCertificate(new ByteArrayInputStream(certificates[i]));
            }
            PeerIdentity id = verifier.credentials.trust().verifySignature(signedPart(), signature, chain);
            if (!id.peerId().equals(name)) {
                return who + ": its certificate names " + id.peerId();
            }
            return null;
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            return who + ": " + e.getMessage();
        }
    }

    @Override
    public String toString() {
        return "mesh token of " + name;
    }
}
