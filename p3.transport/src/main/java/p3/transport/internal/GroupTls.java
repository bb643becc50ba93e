package p3.transport.internal;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

import p3.security.PeerCredentials;
import p3.transport.Rejection;

/**
 * The TLS 1.3 context of a member's cell group on the {@code tcp} stack: the member's key and
 * chain, and {@code MeshTrust}'s trust manager wrapped so that a certificate it refuses (another
 * CA's, expired, revoked) is counted as an {@link Rejection#UNTRUSTED_MEMBER}. The same as
 * {@link PeerCredentials#sslContext()} otherwise.
 */
final class GroupTls {

    private static final char[] NO_PASSWORD = new char[0];

    private GroupTls() {
    }

    static SSLContext context(PeerCredentials credentials, Refusals refusals) throws GeneralSecurityException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(credentials.identity().peerId(), credentials.privateKey(), NO_PASSWORD,
                    credentials.chain());
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, NO_PASSWORD);
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(keys.getKeyManagers(), new TrustManager[] {
                    new Counting(credentials.trust().trustManager(), refusals, credentials.identity().peerId()) },
                    null);
            return context;
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    /** Checks with the mesh's trust manager (never the JDK's host-name rules: peers are named by certificate). */
    private static final class Counting extends X509ExtendedTrustManager {
        private final X509TrustManager trust;
        private final Refusals refusals;
        private final String local;

        Counting(X509TrustManager trust, Refusals refusals, String local) {
            this.trust = trust;
            this.refusals = refusals;
            this.local = local;
        }

        private void check(X509Certificate[] chain, String authType, boolean client) throws CertificateException {
            try {
                if (client) {
                    trust.checkClientTrusted(chain, authType);
                } else {
                    trust.checkServerTrusted(chain, authType);
                }
            } catch (CertificateException e) {
                refusals.refuse(Rejection.UNTRUSTED_MEMBER, local, "a TLS " + (client ? "client" : "server")
                        + " certificate: " + e.getMessage());
                throw e;
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain, authType, true);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain, authType, false);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(chain, authType, true);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(chain, authType, false);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain, authType, true);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain, authType, false);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return trust.getAcceptedIssuers();
        }
    }
}
