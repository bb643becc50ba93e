package p3.security.internal;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

import p3.security.MeshTrust;
import p3.security.PeerCredentials;
import p3.security.PeerIdentity;

/** A peer's key and chain, checked against its trust when made. */
public final class Credentials implements PeerCredentials {

    private static final char[] NO_PASSWORD = new char[0];

    private final PeerIdentity identity;
    private final PrivateKey key;
    private final X509Certificate[] chain;
    private final MeshTrust trust;
    private volatile SSLContext sslContext;

    /**
     * @throws CertificateException when the chain is not trusted, or its certificate is not for this key
     */
    public Credentials(PrivateKey key, X509Certificate[] chain, MeshTrust trust) throws GeneralSecurityException {
        this(trust.verify(chain), key, chain, trust);
        byte[] probe = { 'p', '3' };
        if (!trust.verifySignature(probe, sign(probe), this.chain).equals(identity)) {
            throw new CertificateException("the key does not match the certificate of " + identity);
        }
    }

    private Credentials(PeerIdentity identity, PrivateKey key, X509Certificate[] chain, MeshTrust trust) {
        this.identity = identity;
        this.key = Objects.requireNonNull(key, "key");
        this.chain = chain.clone();
        this.trust = Objects.requireNonNull(trust, "trust");
    }

    /** Credentials not checked against their trust (expired ones, say): only for tests that others refuse them. */
    public static Credentials unchecked(PeerIdentity identity, PrivateKey key, X509Certificate[] chain, MeshTrust trust) {
        return new Credentials(identity, key, chain, trust);
    }

    @Override
    public PeerIdentity identity() {
        return identity;
    }

    @Override
    public PrivateKey privateKey() {
        return key;
    }

    @Override
    public X509Certificate[] chain() {
        return chain.clone();
    }

    @Override
    public MeshTrust trust() {
        return trust;
    }

    @Override
    public byte[] sign(byte[] data) {
        try {
            Signature s = Signature.getInstance(Trust.SIGNATURE);
            s.initSign(key);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            // the key was checked by signing when the credentials were made
            throw new IllegalStateException("cannot sign as " + identity + ": " + e, e);
        }
    }

    @Override
    public SSLContext sslContext() {
        SSLContext c = sslContext;
        if (c == null) {
            synchronized (this) {
                c = sslContext;
                if (c == null) {
                    c = sslContext = newSslContext();
                }
            }
        }
        return c;
    }

    private SSLContext newSslContext() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(identity.peerId(), key, NO_PASSWORD, chain);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, NO_PASSWORD);
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(keys.getKeyManagers(), new TrustManager[] { trust.trustManager() }, null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("cannot make the TLS context of " + identity + ": " + e, e);
        }
    }

    @Override
    public String toString() {
        return "credentials of " + identity;
    }
}
