package p3.mesh.internal;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;

import p3.security.PeerCredentials;
import p3.transport.CellGroup;
import p3.transport.CellGroupListener;
import p3.transport.CellGroups;
import p3.transport.Discovery;
import p3.transport.GroupSpec;
import p3.transport.Link;
import p3.transport.LinkHandler;
import p3.transport.LinkServer;
import p3.transport.Links;
import p3.transport.TrafficClass;
import p3.transport.TransportException;
import p3.transport.TransportStats;

/**
 * A peer's transport with its credentials applied: every link it opens or accepts is TLS with its
 * certificate, every discovery datagram it sends is signed and every one it reads checked, and
 * its cells admit only members with certificates and encrypt what they carry. The rest of the peer names itself by PeerId as before and never holds a key.
 */
final class SecureTransport {

    private SecureTransport() {
    }

    /** The links service as this peer uses it: with its credentials, or in the clear when there are none. */
    static Links links(Links links, PeerCredentials credentials) {
        return credentials == null ? links : new CertifiedLinks(links, credentials);
    }

    /** The discovery service as this peer uses it: its datagrams signed, others' checked; in the clear without credentials. */
    static Discovery discovery(Discovery discovery, PeerCredentials credentials) {
        return credentials == null ? discovery : spec -> discovery.open(spec.withCredentials(credentials));
    }

    /** The cell groups as this peer joins them: authenticated by its certificate, their traffic encrypted. */
    static CellGroups groups(CellGroups groups, PeerCredentials credentials) {
        return credentials == null ? groups : new CertifiedGroups(groups, credentials);
    }

    private record CertifiedGroups(CellGroups groups, PeerCredentials credentials) implements CellGroups {

        @Override
        public CellGroup join(GroupSpec spec, CellGroupListener listener) throws TransportException {
            return groups.join(certified(spec), listener);
        }

        @Override
        public CompletionStage<CellGroup> joinAsync(GroupSpec spec, CellGroupListener listener) {
            return groups.joinAsync(certified(spec), listener);
        }

        @Override
        public String stack() {
            return groups.stack();
        }

        @Override
        public TransportStats stats() {
            return groups.stats();
        }

        private GroupSpec certified(GroupSpec spec) {
            return spec.withCredentials(credentials);
        }
    }

    private record CertifiedLinks(Links links, PeerCredentials credentials) implements Links {

        @Override
        public LinkServer listen(InetSocketAddress bind, String localPeer, LinkHandler handler)
                throws TransportException {
            return links.listen(bind, mine(localPeer), handler);
        }

        @Override
        public CompletionStage<Link> connect(InetSocketAddress remote, String localPeer, TrafficClass trafficClass,
                LinkHandler handler) {
            return links.connect(remote, mine(localPeer), trafficClass, handler);
        }

        @Override
        public LinkServer listen(InetSocketAddress bind, PeerCredentials other, LinkHandler handler)
                throws TransportException {
            return links.listen(bind, other, handler);
        }

        @Override
        public CompletionStage<Link> connect(InetSocketAddress remote, PeerCredentials other,
                TrafficClass trafficClass, LinkHandler handler) {
            return links.connect(remote, other, trafficClass, handler);
        }

        @Override
        public TransportStats stats() {
            return links.stats();
        }

        private PeerCredentials mine(String localPeer) {
            if (!localPeer.equals(credentials.identity().peerId())) {
                throw new IllegalArgumentException(localPeer + " has no credentials here: these are "
                        + credentials.identity() + "'s");
            }
            return credentials;
        }
    }
}
