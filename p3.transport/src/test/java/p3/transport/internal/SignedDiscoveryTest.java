package p3.transport.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import p3.security.PeerCredentials;
import p3.security.PeerIdentity;
import p3.security.Role;
import p3.security.ca.MeshCa;
import p3.transport.DiscoveryEndpoint;
import p3.transport.DiscoveryReply;
import p3.transport.DiscoveryResponder;
import p3.transport.DiscoverySettings;
import p3.transport.DiscoverySpec;
import p3.transport.DiscoveryTimeoutException;
import p3.transport.Rejection;
import p3.transport.TransportException;
import p3.transport.TreeAddress;

/**
 * Signed discovery over real UDP on loopback: what a mesh's peers sign is answered and names its
 * signer; what is unsigned, signed by another CA, tampered with, stale or replayed (the very bytes
 * a peer sent, captured by a raw socket) is refused, counted under its reason and not answered.
 */
class SignedDiscoveryTest {

    private static final Duration DAY = Duration.ofDays(1);
    private static MeshCa ca;
    private static PeerCredentials superPeer;
    private static PeerCredentials sensor;
    private static PeerCredentials impostor;

    private final List<UdpDiscovery> services = new ArrayList<>();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final InetSocketAddress base = new InetSocketAddress("228.1.2.9", FreePorts.udp(7));
    private final UdpDiscovery discovery = service(DiscoverySettings.defaults());

    @BeforeAll
    static void issue() throws Exception {
        ca = MeshCa.create("test", DAY);
        superPeer = ca.issue("sp01", Role.SUPER, DAY);
        sensor = ca.issue("sn01", Role.SENSOR, DAY);
        // same PeerId and role, but from a CA of its own: what an impostor can make
        impostor = MeshCa.create("test", DAY).issue("sp01", Role.SUPER, DAY);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        services.forEach(UdpDiscovery::close);
    }

    private UdpDiscovery service(DiscoverySettings settings) {
        UdpDiscovery d = new UdpDiscovery(settings);
        services.add(d);
        return d;
    }

    private DiscoveryEndpoint open(UdpDiscovery on, PeerCredentials who, boolean multicast, InetSocketAddress... seeds)
            throws TransportException {
        DiscoveryEndpoint e = on.open(new DiscoverySpec(base, 2, multicast, List.of(seeds), 0).withCredentials(who));
        closing.add(e);
        return e;
    }

    private DiscoveryEndpoint open(PeerCredentials who, boolean multicast, InetSocketAddress... seeds)
            throws TransportException {
        return open(discovery, who, multicast, seeds);
    }

    /** A responder that answers "ok" and keeps who asked. */
    private static final class Recording implements DiscoveryResponder {
        final List<PeerIdentity> senders = new CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<byte[]> answer(String cellId, byte[] payload, InetSocketAddress from) {
            throw new AssertionError("the endpoint calls the form with the sender");
        }

        @Override
        public CompletionStage<byte[]> answer(String cellId, byte[] payload, InetSocketAddress from,
                PeerIdentity sender) {
            senders.add(sender == null ? new PeerIdentity("(none)", Role.OPERATOR) : sender);
            return CompletableFuture.completedFuture(("ok:" + new String(payload)).getBytes());
        }
    }

    private Recording serve(DiscoveryEndpoint e, String cell) throws Exception {
        Recording r = new Recording();
        closing.add(e.serveAsync(cell, r).toCompletableFuture().get(5, TimeUnit.SECONDS));
        return r;
    }

    private long refused(UdpDiscovery d, Rejection reason) {
        return d.stats().rejections().getOrDefault(reason, 0L);
    }

    private void awaitRefused(UdpDiscovery d, Rejection reason, long count) {
        await().atMost(Duration.ofSeconds(5)).until(() -> refused(d, reason) == count);
    }

    private static List<DiscoveryReply> ask(DiscoveryEndpoint e, String cell, Duration timeout, int max)
            throws Exception {
        return e.request(cell, "q".getBytes(), timeout, max).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static void assertUnanswered(DiscoveryEndpoint e, String cell) {
        assertThatThrownBy(() -> ask(e, cell, Duration.ofMillis(300), 1)).cause()
                .isInstanceOf(DiscoveryTimeoutException.class);
    }

    /** A raw socket on loopback that plays the unicast seed a requester sends to, or the attacker. */
    private DatagramSocket raw() throws Exception {
        DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        s.setSoTimeout(5000);
        closing.add(s);
        return s;
    }

    /** A raw socket joined to a cell's group, as the cell's own sockets are: it hears every request to it. */
    private MulticastSocket eavesdrop(String cell) throws Exception {
        InetSocketAddress group = TreeAddress.of(base, cell, 2);
        MulticastSocket s = new MulticastSocket(null);
        closing.add(s);
        s.setReuseAddress(true);
        s.bind(group);
        s.joinGroup(group, NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress()));
        s.setSoTimeout(5000);
        return s;
    }

    private static DatagramPacket receive(DatagramSocket s) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[65_536], 65_536);
        s.receive(p);
        return p;
    }

    private static byte[] bytes(DatagramPacket p) {
        return Arrays.copyOfRange(p.getData(), p.getOffset(), p.getOffset() + p.getLength());
    }

    private static void send(DatagramSocket s, byte[] bytes, InetSocketAddress to) throws Exception {
        s.send(new DatagramPacket(bytes, bytes.length, to));
    }

    private static byte[] sealed(DiscoveryDatagram d, long timestamp, PeerCredentials signer) throws Exception {
        byte[] nonce = new byte[DiscoveryDatagram.NONCE_LENGTH];
        new java.security.SecureRandom().nextBytes(nonce);
        ByteBuf b = DatagramSeals.seal(d, timestamp, nonce, signer, signer.chain()[0].getEncoded());
        return ByteBufUtil.getBytes(b);
    }

    private static DiscoveryDatagram parse(byte[] bytes) {
        return DiscoveryDatagram.read(Unpooled.wrappedBuffer(bytes));
    }

    @Test
    void aSignedRequestIsAnsweredAndEachSideLearnsWhoSigned() throws Exception {
        DiscoveryEndpoint parent = open(superPeer, true);
        Recording responder = serve(parent, "01");
        DiscoveryEndpoint child = open(sensor, true);

        List<DiscoveryReply> replies = ask(child, "01", Duration.ofSeconds(3), 1);
        assertThat(replies).hasSize(1);
        assertThat(replies.get(0).sender()).isEqualTo(new PeerIdentity("sp01", Role.SUPER));
        assertThat(replies.get(0).from()).isEqualTo(parent.unicastAddress());
        assertThat(new String(replies.get(0).payload())).isEqualTo("ok:q");
        assertThat(responder.senders).containsExactly(new PeerIdentity("sn01", Role.SENSOR));

        // by seed too, with the handler form of serve
        DiscoveryEndpoint root = open(superPeer, false);
        List<PeerIdentity> asked = new CopyOnWriteArrayList<>();
        closing.add(root.serve("0", new p3.transport.DiscoveryHandler() {
            @Override
            public byte[] onRequest(String cellId, byte[] payload, InetSocketAddress from) {
                throw new AssertionError("the endpoint calls the form with the sender");
            }

            @Override
            public byte[] onRequest(String cellId, byte[] payload, InetSocketAddress from, PeerIdentity sender) {
                asked.add(sender);
                return "root".getBytes();
            }
        }));
        assertThat(ask(open(sensor, false, root.unicastAddress()), "0", Duration.ofSeconds(3), 1))
                .extracting(DiscoveryReply::sender).containsExactly(superPeer.identity());
        assertThat(asked).containsExactly(sensor.identity());
        assertThat(discovery.stats().rejections()).isEmpty();
    }

    @Test
    void aRequestSentByMulticastAndToASeedIsAnsweredOnBothWays() throws Exception {
        // the same request reaches the parent twice, each copy with its nonce: neither is a replay
        DiscoveryEndpoint parent = open(superPeer, true);
        Recording responder = serve(parent, "01");
        DiscoveryEndpoint child = open(sensor, true, parent.unicastAddress());
        assertThat(ask(child, "01", Duration.ofSeconds(3), 1)).hasSize(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> responder.senders.size() == 2);
        assertThat(refused(discovery, Rejection.REPLAYED)).isZero();
    }

    @Test
    void anUnsignedRequestIsRefused() throws Exception {
        DiscoveryEndpoint parent = open(superPeer, true);
        Recording responder = serve(parent, "01");
        // an endpoint in the clear asks by multicast and as a seed
        UdpDiscovery clear = service(DiscoverySettings.defaults());
        assertUnanswered(open(clear, null, true, parent.unicastAddress()), "01");
        awaitRefused(discovery, Rejection.UNSIGNED, 2);
        assertThat(responder.senders).isEmpty();
    }

    @Test
    void aRequestSignedByAnotherCaIsRefused() throws Exception {
        DiscoveryEndpoint parent = open(superPeer, true);
        Recording responder = serve(parent, "01");
        UdpDiscovery theirs = service(DiscoverySettings.defaults());
        assertUnanswered(open(theirs, impostor, true), "01");
        awaitRefused(discovery, Rejection.UNTRUSTED, 1);
        assertThat(responder.senders).isEmpty();
    }

    @Test
    void aCapturedRequestTamperedWithIsRefusedAndTheCaptureReplayedOnceMore() throws Exception {
        DiscoveryEndpoint parent = open(superPeer, false);
        Recording responder = serve(parent, "0");
        DatagramSocket seed = raw();
        DiscoveryEndpoint child = open(sensor, false, (InetSocketAddress) seed.getLocalSocketAddress());
        CompletableFuture<List<DiscoveryReply>> asked = child
                .request("0", "where?".getBytes(), Duration.ofMillis(300), 1).toCompletableFuture();
        byte[] captured = bytes(receive(seed)); // what the child sent its "seed"
        assertThat(parse(captured).seal()).isNotNull();

        byte[] tampered = captured.clone();
        int payloadAt = 2 + 1 + 1 + 8 + 1 + 1 + 2; // magic, version, kind, id, cell length, "0", payload length
        assertThat(new String(tampered, payloadAt, 6)).isEqualTo("where?");
        tampered[payloadAt] = 'W';
        send(seed, tampered, parent.unicastAddress());
        awaitRefused(discovery, Rejection.BAD_SIGNATURE, 1);
        assertThat(responder.senders).isEmpty();

        // the capture itself, untouched, is the sensor's: answered once, to whoever sent it
        send(seed, captured, parent.unicastAddress());
        DiscoveryDatagram reply = parse(bytes(receive(seed)));
        assertThat(reply.request()).isFalse();
        assertThat(new String(reply.payload())).isEqualTo("ok:where?");
        assertThat(responder.senders).containsExactly(sensor.identity());
        // and sent again within the window, a replay
        send(seed, captured, parent.unicastAddress());
        awaitRefused(discovery, Rejection.REPLAYED, 1);
        assertThat(responder.senders).hasSize(1);
        assertThatThrownBy(() -> asked.get(5, TimeUnit.SECONDS)).cause()
                .isInstanceOf(DiscoveryTimeoutException.class);
    }

    @Test
    void aMulticastRequestCapturedAndReplayedIsRefused() throws Exception {
        DiscoveryEndpoint parent = open(superPeer, true);
        Recording responder = serve(parent, "01");
        MulticastSocket tap = eavesdrop("01");
        DiscoveryEndpoint child = open(sensor, true);
        assertThat(ask(child, "01", Duration.ofSeconds(3), 1)).hasSize(1);
        DatagramPacket heard = receive(tap);
        byte[] captured = bytes(heard);
        assertThat(parse(captured).request()).isTrue();
        assertThat(responder.senders).hasSize(1);

        try (DatagramSocket attacker = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            send(attacker, captured, TreeAddress.of(base, "01", 2)); // to the group again
            send(attacker, captured, parent.unicastAddress()); // and to the parent's own socket
            awaitRefused(discovery, Rejection.REPLAYED, 2);
        }
        assertThat(responder.senders).hasSize(1);
    }

    @Test
    void aStaleOrFutureTimestampIsRefused() throws Exception {
        DiscoveryEndpoint parent = open(superPeer, false);
        Recording responder = serve(parent, "0");
        DatagramSocket attacker = raw();
        long now = System.currentTimeMillis();
        DiscoveryDatagram request = new DiscoveryDatagram(true, 42, "0", "q".getBytes());
        send(attacker, sealed(request, now - 11_000, sensor), parent.unicastAddress());
        send(attacker, sealed(request, now + 11_000, sensor), parent.unicastAddress());
        awaitRefused(discovery, Rejection.STALE, 2);
        assertThat(responder.senders).isEmpty();
        // within the window, the same sensor is answered
        send(attacker, sealed(request, now - 5_000, sensor), parent.unicastAddress());
        assertThat(parse(bytes(receive(attacker))).request()).isFalse();
        assertThat(responder.senders).containsExactly(sensor.identity());
    }

    @Test
    void anUnsignedDatagramFromARawSocketIsRefusedAndJunkToo() throws Exception {
        DiscoveryEndpoint parent = open(superPeer, false);
        Recording responder = serve(parent, "0");
        DatagramSocket attacker = raw();
        ByteBuf v1 = Unpooled.buffer();
        new DiscoveryDatagram(true, 7, "0", "q".getBytes()).write(v1);
        send(attacker, ByteBufUtil.getBytes(v1), parent.unicastAddress());
        byte[] cut = sealed(new DiscoveryDatagram(true, 8, "0", "q".getBytes()), System.currentTimeMillis(), sensor);
        send(attacker, Arrays.copyOf(cut, cut.length - 3), parent.unicastAddress()); // signature cut short
        awaitRefused(discovery, Rejection.UNSIGNED, 1);
        awaitRefused(discovery, Rejection.BAD_DATAGRAM, 1);
        assertThat(responder.senders).isEmpty();
    }

    @Test
    void anImpostorCannotAnswerDiscovery() throws Exception {
        DiscoveryEndpoint parent = open(superPeer, true);
        serve(parent, "01");
        // an impostor in the clear serves the cell too: it reads the request and answers unsigned
        UdpDiscovery clear = service(DiscoverySettings.defaults());
        DiscoveryEndpoint unsignedImpostor = open(clear, null, true);
        serve(unsignedImpostor, "01");
        // and one with a certificate of its own CA answers every request it hears on the group
        MulticastSocket tap = eavesdrop("01");
        CompletableFuture<Void> forged = CompletableFuture.runAsync(() -> {
            try {
                DatagramPacket heard = receive(tap);
                DiscoveryDatagram request = parse(bytes(heard));
                byte[] reply = sealed(new DiscoveryDatagram(false, request.id(), "01", "come to me".getBytes()),
                        System.currentTimeMillis(), impostor);
                send(tap, reply, (InetSocketAddress) heard.getSocketAddress());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        DiscoveryEndpoint child = open(sensor, true);
        List<DiscoveryReply> replies = ask(child, "01", Duration.ofSeconds(1), 3);
        forged.get(5, TimeUnit.SECONDS);
        awaitRefused(discovery, Rejection.UNTRUSTED, 1);
        awaitRefused(discovery, Rejection.UNSIGNED, 1);
        assertThat(replies).extracting(DiscoveryReply::sender).containsExactly(superPeer.identity());
        assertThat(replies).extracting(DiscoveryReply::from).containsExactly(parent.unicastAddress());
    }

    @Test
    void aFullReplayCacheRefusesRatherThanForgets() throws Exception {
        UdpDiscovery small = service(DiscoverySettings.defaults().withSignedDatagrams(Duration.ofSeconds(10), 16,
                Duration.ofSeconds(5)));
        DiscoveryEndpoint parent = open(small, superPeer, false);
        Recording responder = serve(parent, "0");
        DatagramSocket sender = raw();
        for (int i = 0; i < 17; i++) {
            send(sender, sealed(new DiscoveryDatagram(true, i, "0", "q".getBytes()), System.currentTimeMillis(),
                    sensor), parent.unicastAddress());
        }
        awaitRefused(small, Rejection.REPLAY_CACHE_FULL, 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> responder.senders.size() == 16);
    }

    @Test
    void aRevokedCertificateIsRefusedOnceItIsCheckedAgain() throws Exception {
        MeshCa own = MeshCa.create("revoking", DAY);
        PeerCredentials parentCredentials = own.issue("sp01", Role.SUPER, DAY);
        PeerCredentials revoked = own.issue("sn09", Role.SENSOR, DAY);
        UdpDiscovery rechecking = service(DiscoverySettings.defaults().withSignedDatagrams(Duration.ofSeconds(10),
                4096, Duration.ZERO));
        DiscoveryEndpoint parent = open(rechecking, parentCredentials, false);
        Recording responder = serve(parent, "0");
        DiscoveryEndpoint child = open(rechecking, revoked, false, parent.unicastAddress());
        assertThat(ask(child, "0", Duration.ofSeconds(3), 1)).hasSize(1);
        own.revoke(revoked.chain()[0]);
        assertUnanswered(child, "0");
        awaitRefused(rechecking, Rejection.UNTRUSTED, 1);
        assertThat(responder.senders).hasSize(1);
    }

    @Test
    void inTheClearASignedRequestIsReadButNamesNoSender() throws Exception {
        DiscoveryEndpoint clearParent = open(null, false);
        List<PeerIdentity> senders = new CopyOnWriteArrayList<>();
        closing.add(clearParent.serveAsync("0", new DiscoveryResponder() {
            @Override
            public CompletionStage<byte[]> answer(String cellId, byte[] payload, InetSocketAddress from) {
                throw new AssertionError();
            }

            @Override
            public CompletionStage<byte[]> answer(String cellId, byte[] payload, InetSocketAddress from,
                    PeerIdentity sender) {
                senders.add(sender == null ? new PeerIdentity("(none)", Role.OPERATOR) : sender);
                return CompletableFuture.completedFuture("clear".getBytes());
            }
        }).toCompletableFuture().get(5, TimeUnit.SECONDS));
        DatagramSocket s = raw();
        send(s, sealed(new DiscoveryDatagram(true, 1, "0", "q".getBytes()), System.currentTimeMillis(), impostor),
                clearParent.unicastAddress());
        DiscoveryDatagram reply = parse(bytes(receive(s)));
        assertThat(reply.seal()).as("the clear answers unsigned").isNull();
        assertThat(senders).containsExactly(new PeerIdentity("(none)", Role.OPERATOR));
        // and a secured requester refuses that unsigned answer
        assertUnanswered(open(sensor, false, clearParent.unicastAddress()), "0");
        awaitRefused(discovery, Rejection.UNSIGNED, 1);
    }

    /** What one signed datagram costs: its seal by the sender, its check by the receiver. Printed, not asserted. */
    @Test
    void costOfSigningAndCheckingOneDatagram() {
        DatagramSeals sender = new DatagramSeals(sensor, DiscoverySettings.defaults());
        DatagramSeals cached = new DatagramSeals(superPeer, DiscoverySettings.defaults()
                .withSignedDatagrams(Duration.ofSeconds(10), 1 << 20, Duration.ofMinutes(10)));
        DatagramSeals uncached = new DatagramSeals(superPeer, DiscoverySettings.defaults()
                .withSignedDatagrams(Duration.ofSeconds(10), 1 << 20, Duration.ZERO));
        DiscoveryDatagram d = new DiscoveryDatagram(true, 1, "011", new byte[64]);
        int warm = 50;
        int n = 200;
        for (int i = 0; i < warm; i++) {
            check(cached, sender.seal(d));
            check(uncached, sender.seal(d));
        }
        List<DiscoveryDatagram> sealed = new ArrayList<>();
        long t0 = System.nanoTime();
        int size = 0;
        for (int i = 0; i < n; i++) {
            ByteBuf b = sender.seal(d);
            size = b.readableBytes();
            sealed.add(DiscoveryDatagram.read(b));
        }
        long t1 = System.nanoTime();
        for (DiscoveryDatagram s : sealed) {
            assertThat(cached.check(s, System.currentTimeMillis(), System.nanoTime()).refused()).isNull();
        }
        long t2 = System.nanoTime();
        for (DiscoveryDatagram s : sealed) {
            assertThat(uncached.check(s, System.currentTimeMillis(), System.nanoTime()).refused()).isNull();
        }
        long t3 = System.nanoTime();
        System.out.printf("signed discovery datagram of %d bytes (64-byte payload, v1 would be %d): "
                + "sign %.1f us, check with the certificate cached %.1f us, check with the chain %.1f us "
                + "(mean of %d, %s)%n", size, 2 + 1 + 1 + 8 + 1 + 3 + 64, (t1 - t0) / 1e3 / n, (t2 - t1) / 1e3 / n,
                (t3 - t2) / 1e3 / n, n, System.getProperty("java.version"));
    }

    private static void check(DatagramSeals receiver, ByteBuf datagram) {
        assertThat(receiver.check(DiscoveryDatagram.read(datagram), System.currentTimeMillis(), System.nanoTime())
                .refused()).isNull();
    }
}
