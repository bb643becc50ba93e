package p3.security.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import p3.security.PeerCredentials;
import p3.security.PeerIdentity;
import p3.security.Role;
import p3.security.ca.MeshCa;

class TrustTest {

    private static final Duration DAY = Duration.ofDays(1);

    @Test
    void aPeerOfTheMeshIsTrustedAndNamedByItsCertificate() throws Exception {
        MeshCa ca = MeshCa.create("test", DAY);
        PeerCredentials sp01 = ca.issue("sp01", Role.SUPER, DAY);
        assertThat(ca.trust().verify(sp01.chain())).isEqualTo(new PeerIdentity("sp01", Role.SUPER));
        byte[] data = "hello".getBytes(UTF_8);
        assertThat(ca.trust().verifySignature(data, sp01.sign(data), sp01.chain())).isEqualTo(sp01.identity());
        assertThat(sp01.sslContext().getProtocol()).isEqualTo("TLSv1.3");
    }

    @Test
    void anotherMeshsCertificateIsRefused() throws Exception {
        MeshCa ca = MeshCa.create("test", DAY);
        MeshCa other = MeshCa.create("test", DAY); // same name, other key: the name proves nothing
        PeerCredentials impostor = other.issue("sp01", Role.SUPER, DAY);
        assertThatThrownBy(() -> ca.trust().verify(impostor.chain())).isInstanceOf(CertificateException.class)
                .hasMessageContaining("not signed by this mesh's CA");
    }

    @Test
    void anExpiredCertificateIsRefused() throws Exception {
        MeshCa ca = MeshCa.create("test", DAY);
        Instant now = Instant.now();
        PeerCredentials old = ca.issue(new PeerIdentity("s01", Role.SENSOR), now.minus(DAY.multipliedBy(2)), now.minus(DAY));
        assertThatThrownBy(() -> ca.trust().verify(old.chain())).isInstanceOf(CertificateExpiredException.class);
    }

    @Test
    void aRevokedCertificateIsRefusedOnceTheListSaysSo() throws Exception {
        MeshCa ca = MeshCa.create("test", DAY);
        PeerCredentials s01 = ca.issue("s01", Role.SENSOR, DAY);
        PeerCredentials s02 = ca.issue("s02", Role.SENSOR, DAY);
        ca.revoke(s01.chain()[0]);
        assertThatThrownBy(() -> ca.trust().verify(s01.chain())).hasMessageContaining("revoked");
        assertThat(ca.trust().verify(s02.chain()).peerId()).isEqualTo("s02");
    }

    @Test
    void aSignatureOverOtherDataOrByAnotherKeyIsRefused() throws Exception {
        MeshCa ca = MeshCa.create("test", DAY);
        PeerCredentials a = ca.issue("a", Role.SUPER, DAY);
        PeerCredentials b = ca.issue("b", Role.SUPER, DAY);
        byte[] data = "order".getBytes(UTF_8);
        byte[] byB = b.sign(data);
        assertThatThrownBy(() -> ca.trust().verifySignature(data, byB, a.chain()))
                .isInstanceOf(GeneralSecurityException.class);
        assertThatThrownBy(() -> ca.trust().verifySignature("other".getBytes(UTF_8), a.sign(data), a.chain()))
                .isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void theCaCertificateItselfIsNoPeersCertificate() throws Exception {
        MeshCa ca = MeshCa.create("test", DAY);
        assertThatThrownBy(() -> ca.trust().verify(new java.security.cert.X509Certificate[] { ca.certificate() }))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void aCaComesBackFromItsKeyCertificateAndList() throws Exception {
        MeshCa ca = MeshCa.create("rail", DAY);
        PeerCredentials s01 = ca.issue("s01", Role.SENSOR, DAY);
        ca.revoke(s01.chain()[0]);
        MeshCa again = MeshCa.of(ca.key(), ca.certificate(), ca.revocations());
        assertThat(again.mesh()).isEqualTo("rail");
        assertThatThrownBy(() -> again.trust().verify(s01.chain())).hasMessageContaining("revoked");
        assertThatThrownBy(() -> MeshCa.of(MeshCa.create("x", DAY).key(), ca.certificate(), null))
                .isInstanceOf(GeneralSecurityException.class);
    }
}
