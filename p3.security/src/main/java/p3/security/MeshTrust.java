package p3.security;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import javax.net.ssl.X509TrustManager;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What a mesh trusts: certificates its CA issued, within their validity, not on its revocation
 * list. Thread-safe; cheap to call on every handshake.
 */
@ProviderType
public interface MeshTrust {

    /**
     * Checks what a peer presented: its certificate first, issued by this mesh's CA, valid now and
     * not revoked (any further certificates of the chain are ignored: the CA is known already).
     *
     * @return who the certificate names
     * @throws CertificateException why it is refused
     */
    PeerIdentity verify(X509Certificate[] chain) throws CertificateException;

    /**
     * {@link #verify} the chain, then the signature of {@code data} by its first certificate's key.
     *
     * @throws GeneralSecurityException why it is refused
     */
    PeerIdentity verifySignature(byte[] data, byte[] signature, X509Certificate[] chain) throws GeneralSecurityException;

    /** {@link #verify} as a trust manager, for TLS on either side of a connection. */
    X509TrustManager trustManager();

    /** The CA's certificate. */
    X509Certificate authority();
}
