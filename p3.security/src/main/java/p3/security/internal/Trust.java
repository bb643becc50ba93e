package p3.security.internal;

import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Objects;

import javax.net.ssl.X509TrustManager;

import p3.security.MeshTrust;
import p3.security.PeerIdentity;

/**
 * Trust in one CA: a peer's certificate must be signed by it directly (no intermediates: a peer's
 * key cannot vouch for another), be valid now and not be on the CA's latest revocation list.
 */
public final class Trust implements MeshTrust {

    /** How signatures over datagrams and orders are made: the key's curve fixes the rest. */
    public static final String SIGNATURE = "SHA256withECDSA";

    private final X509Certificate authority;
    private volatile X509CRL revocations;
    private final X509TrustManager trustManager = new TrustManagers(this);

    /**
     * @param revocations the CA's revocation list, or null for none yet
     * @throws GeneralSecurityException when the list is not the CA's
     */
    public Trust(X509Certificate authority, X509CRL revocations) throws GeneralSecurityException {
        this.authority = Objects.requireNonNull(authority, "authority");
        authority.checkValidity();
        if (revocations != null) {
            update(revocations);
        }
    }

    /**
     * Replaces the revocation list: from then on, certificates on it are refused.
     *
     * @throws GeneralSecurityException when the list is not signed by this CA
     */
    public void update(X509CRL list) throws GeneralSecurityException {
        list.verify(authority.getPublicKey());
        X509CRL current = revocations;
        if (current == null || !list.getThisUpdate().before(current.getThisUpdate())) {
            revocations = list;
        }
    }

    @Override
    public X509Certificate authority() {
        return authority;
    }

    @Override
    public PeerIdentity verify(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("no certificate");
        }
        X509Certificate leaf = chain[0];
        if (!leaf.getIssuerX500Principal().equals(authority.getSubjectX500Principal())) {
            throw new CertificateException("issued by " + leaf.getIssuerX500Principal() + ", not by this mesh's CA");
        }
        try {
            leaf.verify(authority.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new CertificateException("not signed by this mesh's CA: " + e.getMessage(), e);
        }
        leaf.checkValidity(); // CertificateExpiredException, CertificateNotYetValidException
        if (leaf.getBasicConstraints() >= 0) {
            throw new CertificateException("a CA certificate is not a peer's");
        }
        X509CRL list = revocations;
        if (list != null && list.isRevoked(leaf)) {
            throw new CertificateException("revoked: " + leaf.getSubjectX500Principal() + ", serial "
                    + leaf.getSerialNumber().toString(16));
        }
        return PeerIdentity.of(leaf);
    }

    @Override
    public PeerIdentity verifySignature(byte[] data, byte[] signature, X509Certificate[] chain)
            throws GeneralSecurityException {
        PeerIdentity who = verify(chain);
        Signature s = Signature.getInstance(SIGNATURE);
        s.initVerify(chain[0].getPublicKey());
        s.update(data);
        if (!s.verify(signature)) {
            throw new GeneralSecurityException("bad signature by " + who);
        }
        return who;
    }

    @Override
    public X509TrustManager trustManager() {
        return trustManager;
    }
}
