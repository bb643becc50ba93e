package p3.transport.internal;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import p3.security.MeshTrust;
import p3.security.PeerCredentials;
import p3.security.PeerIdentity;
import p3.transport.DiscoverySettings;
import p3.transport.Rejection;

/**
 * The seals of one secured endpoint: signs every datagram it sends, each with its own timestamp
 * and nonce, and checks every datagram it receives, cheapest first: a signature at all, the
 * timestamp within the freshness window, the nonce not seen, then the certificate against the
 * endpoint's trust and the signature; the nonce is recorded only once the signature held. A
 * certificate that passed is remembered by its DER bytes for {@code certificateRecheck}, so that a
 * sender who asks again costs one signature check rather than the CA's too. Thread-safe.
 */
final class DatagramSeals {

    /** What a checked datagram came to: its signer, or why it was refused. */
    record Verdict(PeerIdentity sender, Rejection refused, String why) {
        static Verdict accept(PeerIdentity sender) {
            return new Verdict(sender, null, null);
        }

        static Verdict refuse(Rejection reason, String why) {
            return new Verdict(null, reason, why);
        }
    }

    /**
     * How the mesh's CA keys sign (p3.security's Trust.SIGNATURE, which is not exported): used only for
     * a certificate found in the cache, whose first check went through {@link MeshTrust#verifySignature}.
     */
    private static final String SIGNATURE = "SHA256withECDSA";
    /** Senders whose certificates are remembered; more than a cell's peers and their joiners. */
    static final int CERTIFICATES = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Checked(PeerIdentity who, PublicKey key, long checkedNanos) {
    }

    private final PeerCredentials credentials;
    private final MeshTrust trust;
    private final byte[] certificate;
    private final long freshnessMs;
    private final long recheckNanos;
    private final ReplayCache replays;
    private final Map<ByteBuffer, Checked> certificates = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Checked> eldest) {
            return size() > CERTIFICATES; // forgetting one costs its sender a chain check, nothing else
        }
    };

    DatagramSeals(PeerCredentials credentials, DiscoverySettings settings) {
        this.credentials = credentials;
        this.trust = credentials.trust();
        try {
            this.certificate = credentials.chain()[0].getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("credentials of " + credentials.identity()
                    + ": the certificate cannot be encoded: " + e, e);
        }
        if (certificate.length > DiscoveryDatagram.MAX_CERTIFICATE) {
            throw new IllegalArgumentException("credentials of " + credentials.identity() + ": a certificate of "
                    + certificate.length + " bytes, discovery carries at most " + DiscoveryDatagram.MAX_CERTIFICATE);
        }
        this.freshnessMs = settings.freshness().toMillis();
        this.recheckNanos = settings.certificateRecheck().toNanos();
        this.replays = new ReplayCache(settings.freshness().toNanos(), settings.replayCacheSize());
    }

    PeerIdentity identity() {
        return credentials.identity();
    }

    /** The datagram, version 2, signed now with a new nonce: one per destination. */
    ByteBuf seal(DiscoveryDatagram d) {
        byte[] nonce = new byte[DiscoveryDatagram.NONCE_LENGTH];
        RANDOM.nextBytes(nonce);
        return seal(d, System.currentTimeMillis(), nonce, credentials, certificate);
    }

    /** The datagram, version 2, signed with what is given: tests forge and age datagrams with it. */
    static ByteBuf seal(DiscoveryDatagram d, long timestamp, byte[] nonce, PeerCredentials signer, byte[] certificate) {
        ByteBuf out = Unpooled.buffer(128 + d.payload().length + certificate.length);
        d.writeSigned(out, timestamp, nonce, certificate);
        byte[] signature = signer.sign(ByteBufUtil.getBytes(out));
        DiscoveryDatagram.writeSignature(out, signature);
        return out;
    }

    /** Checks a datagram read on the loop; its nonce is recorded if it passes. */
    Verdict check(DiscoveryDatagram d, long nowMs, long nowNanos) {
        DiscoveryDatagram.Seal seal = d.seal();
        if (seal == null) {
            return Verdict.refuse(Rejection.UNSIGNED, "no signature");
        }
        long skew = seal.timestamp() - nowMs;
        if (Math.abs(skew) > freshnessMs) {
            return Verdict.refuse(Rejection.STALE, "timestamp " + (skew < 0 ? -skew + " ms old" : skew
                    + " ms ahead") + ", the window is ±" + freshnessMs + " ms");
        }
        switch (replays.check(seal.nonce(), nowNanos)) {
            case SEEN:
                return Verdict.refuse(Rejection.REPLAYED, "nonce seen already");
            case FULL:
                return Verdict.refuse(Rejection.REPLAY_CACHE_FULL, "the cache of recent nonces is full");
            default:
                break;
        }
        Verdict signed = verify(seal, nowNanos);
        if (signed.refused() != null) {
            return signed;
        }
        switch (replays.record(seal.nonce(), nowNanos)) {
            case SEEN:
                return Verdict.refuse(Rejection.REPLAYED, "nonce seen already");
            case FULL:
                return Verdict.refuse(Rejection.REPLAY_CACHE_FULL, "the cache of recent nonces is full");
            default:
                return signed;
        }
    }

    private Verdict verify(DiscoveryDatagram.Seal seal, long nowNanos) {
        ByteBuffer der = ByteBuffer.wrap(seal.certificate());
        Checked known;
        synchronized (certificates) {
            known = certificates.get(der);
            if (known != null && nowNanos - known.checkedNanos >= recheckNanos) {
                certificates.remove(der);
                known = null;
            }
        }
        if (known != null) {
            try {
                Signature s = Signature.getInstance(SIGNATURE);
                s.initVerify(known.key);
                s.update(seal.signed());
                return s.verify(seal.signature()) ? Verdict.accept(known.who)
                        : Verdict.refuse(Rejection.BAD_SIGNATURE, "bad signature by " + known.who);
            } catch (GeneralSecurityException e) {
                return Verdict.refuse(Rejection.BAD_SIGNATURE, "unreadable signature by " + known.who + ": " + e);
            }
        }
        X509Certificate cert;
        try {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(seal.certificate()));
        } catch (CertificateException | RuntimeException e) {
            return Verdict.refuse(Rejection.UNTRUSTED, "unreadable certificate: " + e.getMessage());
        }
        PeerIdentity who;
        try {
            who = trust.verifySignature(seal.signed(), seal.signature(), new X509Certificate[] { cert });
        } catch (CertificateException e) {
            return Verdict.refuse(Rejection.UNTRUSTED, "certificate of " + cert.getSubjectX500Principal()
                    + " refused: " + e.getMessage());
        } catch (GeneralSecurityException | RuntimeException e) {
            return Verdict.refuse(Rejection.BAD_SIGNATURE, e.getMessage());
        }
        if ("EC".equals(cert.getPublicKey().getAlgorithm())) { // what SIGNATURE checks
            synchronized (certificates) {
                certificates.put(der, new Checked(who, cert.getPublicKey(), nowNanos));
            }
        }
        return Verdict.accept(who);
    }
}
