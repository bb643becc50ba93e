package p3.security;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLContext;

import org.osgi.annotation.versioning.ProviderType;

/** One local peer's key and certificate, and the trust it checks others against. Thread-safe. */
@ProviderType
public interface PeerCredentials {

    PeerIdentity identity();

    PrivateKey privateKey();

    /** This peer's certificate, then its CA's. */
    X509Certificate[] chain();

    MeshTrust trust();

    /** Signs {@code data} with this peer's key; {@link MeshTrust#verifySignature} checks it. */
    byte[] sign(byte[] data);

    /**
     * A JDK TLS 1.3 context with this peer's key, trusting {@link #trust()}, for the transports
     * that take one (JGroups). Built once.
     */
    SSLContext sslContext();
}
