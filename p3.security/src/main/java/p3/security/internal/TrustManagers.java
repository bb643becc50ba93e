package p3.security.internal;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import javax.net.ssl.X509TrustManager;

import p3.security.MeshTrust;

/** A mesh's trust as TLS asks for it, on either side of a connection: {@link MeshTrust#verify}. */
final class TrustManagers implements X509TrustManager {

    private final MeshTrust trust;

    TrustManagers(MeshTrust trust) {
        this.trust = trust;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        trust.verify(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        trust.verify(chain);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[] { trust.authority() };
    }
}
