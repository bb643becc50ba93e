package p3.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static p3.transport.internal.LinksTest.ANY_LOOPBACK;
import static p3.transport.internal.LinksTest.BOUND;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import p3.security.PeerCredentials;
import p3.security.PeerIdentity;
import p3.security.Role;
import p3.security.ca.MeshCa;
import p3.transport.Frame;
import p3.transport.FrameType;
import p3.transport.Link;
import p3.transport.LinkServer;
import p3.transport.LinkSettings;
import p3.transport.Rejection;
import p3.transport.TrafficClass;

/**
 * Links between peers with credentials, over real loopback sockets: TLS 1.3 with both ends
 * authenticated, and impostors refused and counted before any of their frames reaches the mesh.
 */
class LinkSecurityTest {

    private static final Duration DAY = Duration.ofDays(1);
    private static MeshCa ca;
    private static PeerCredentials parent;
    private static PeerCredentials sensor;

    private final NettyLinks links = new NettyLinks(LinkSettings.defaults());
    private final Recorder accepted = new Recorder();

    @BeforeAll
    static void pki() throws Exception {
        ca = MeshCa.create("test", DAY);
        parent = ca.issue("sp01", Role.SUPER, DAY);
        sensor = ca.issue("s01", Role.SENSOR, DAY);
    }

    @AfterEach
    void stop() {
        links.close();
    }

    @Test
    void peersOfOneMeshLinkAndKnowEachOtherByCertificate() throws Exception {
        Recorder child = new Recorder();
        try (LinkServer server = links.listen(ANY_LOOPBACK, parent, accepted)) {
            Link link = links.connect(server.address(), sensor, TrafficClass.AUDIO, child).toCompletableFuture()
                    .get(5, TimeUnit.SECONDS);
            assertThat(link.remotePeer()).isEqualTo("sp01");
            assertThat(link.remoteIdentity()).isEqualTo(new PeerIdentity("sp01", Role.SUPER));
            assertThat(link.send(Frame.data(TrafficClass.AUDIO, "s01", "011", "client", "0", 1, new byte[1000])))
                    .isTrue();
            await().atMost(BOUND).until(() -> accepted.frames.size() == 1);
            assertThat(accepted.opened.get(0).remoteIdentity()).isEqualTo(new PeerIdentity("s01", Role.SENSOR));
            assertThat(accepted.frames.get(0).payload()).hasSize(1000);
            assertThat(links.stats().rejections()).isEmpty();
        }
    }

    @Test
    void aPeerWithoutCertificateIsRefused() throws Exception {
        try (LinkServer server = links.listen(ANY_LOOPBACK, parent, accepted)) {
            // in the clear: its HELLO reaches a TLS server as garbage
            assertThatThrownBy(() -> links.connect(server.address(), "s01", TrafficClass.AUDIO, new Recorder())
                    .toCompletableFuture().get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
            awaitRefused(Rejection.UNTRUSTED_PEER, 1);
        }
    }

    @Test
    void aCertificateOfAnotherMeshIsRefused() throws Exception {
        PeerCredentials stranger = MeshCa.create("test", DAY).issue("s01", Role.SENSOR, DAY);
        try (LinkServer server = links.listen(ANY_LOOPBACK, parent, accepted)) {
            assertThatThrownBy(() -> links.connect(server.address(), stranger, TrafficClass.AUDIO, new Recorder())
                    .toCompletableFuture().get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
            awaitRefused(Rejection.UNTRUSTED_PEER, 1);
        }
    }

    @Test
    void aParentOfAnotherMeshIsRefusedByTheChild() throws Exception {
        PeerCredentials fakeParent = MeshCa.create("test", DAY).issue("sp01", Role.SUPER, DAY);
        NettyLinks theirs = new NettyLinks(LinkSettings.defaults());
        try (LinkServer server = theirs.listen(ANY_LOOPBACK, fakeParent, accepted)) {
            assertThatThrownBy(() -> links.connect(server.address(), sensor, TrafficClass.AUDIO, new Recorder())
                    .toCompletableFuture().get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
            awaitRefused(Rejection.UNTRUSTED_PEER, 1);
            assertThat(accepted.opened).isEmpty();
        } finally {
            theirs.close();
        }
    }

    @Test
    void expiredAndRevokedCertificatesAreRefused() throws Exception {
        Instant now = Instant.now();
        PeerCredentials expired = ca.issue(new PeerIdentity("s02", Role.SENSOR), now.minus(DAY.multipliedBy(2)),
                now.minus(DAY));
        PeerCredentials revoked = ca.issue("s03", Role.SENSOR, DAY);
        ca.revoke(revoked.chain()[0]);
        try (LinkServer server = links.listen(ANY_LOOPBACK, parent, accepted)) {
            for (PeerCredentials c : new PeerCredentials[] { expired, revoked }) {
                // an expired key makes no TLS context of its own: present it through a raw client
                assertThat(helloOverTls(server, c, c.identity().peerId())).isEqualTo(-1);
            }
            awaitRefused(Rejection.UNTRUSTED_PEER, 2);
            assertThat(accepted.opened).isEmpty();
        }
    }

    @Test
    void aHelloThatIsNotTheCertificatesPeerIsRefused() throws Exception {
        try (LinkServer server = links.listen(ANY_LOOPBACK, parent, accepted)) {
            // a sensor's valid certificate, claiming to be a super-peer
            assertThat(helloOverTls(server, sensor, "sp02")).isEqualTo(-1);
            awaitRefused(Rejection.IMPERSONATION, 1);
            assertThat(accepted.opened).isEmpty();
            assertThat(accepted.frames).isEmpty();
        }
    }

    private void awaitRefused(Rejection reason, long n) {
        await().atMost(BOUND).untilAsserted(() -> assertThat(links.stats().rejections()).containsEntry(reason, n));
    }

    /**
     * Connects with a JDK TLS socket, presenting {@code who}'s certificate, sends a HELLO as
     * {@code claimed} and a data frame, and returns the first byte the server answers (-1: it closed).
     */
    private static int helloOverTls(LinkServer server, PeerCredentials who, String claimed) throws Exception {
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLSv1.3");
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("me", who.privateKey(), new char[0], who.chain());
        javax.net.ssl.KeyManagerFactory keys = javax.net.ssl.KeyManagerFactory.getInstance("PKIX");
        keys.init(store, new char[0]);
        context.init(keys.getKeyManagers(), new javax.net.ssl.TrustManager[] { parent.trust().trustManager() }, null);
        try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(server.address().getAddress(),
                server.address().getPort())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(encode(new Frame(FrameType.HELLO, TrafficClass.EVENT, 0, claimed, "", "", "", 0, 0, new byte[0])));
            out.write(encode(Frame.data(TrafficClass.EVENT, claimed, "011", "client", "0", 1, new byte[10])));
            out.flush();
            InputStream in = s.getInputStream();
            try {
                return in.read();
            } catch (java.io.IOException refused) {
                return -1; // an alert or a reset: refused either way
            }
        } catch (java.io.IOException refusedInHandshake) {
            return -1;
        }
    }

    private static byte[] encode(Frame frame) {
        return FrameCodecTest.wire(frame);
    }
}
