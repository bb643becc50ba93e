package p3.transport.internal;

import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;

import javax.crypto.SecretKey;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.jgroups.Event;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.SSL_KEY_EXCHANGE;
import org.jgroups.util.Tuple;

import p3.transport.Rejection;

/**
 * JGroups' SSL_KEY_EXCHANGE with the member's TLS context: the coordinator is the key server, and a
 * joiner fetches the group key over TLS 1.3 where both sides must show a certificate of this
 * mesh's CA (the context's trust manager is {@code MeshTrust}'s). Without one, no group key, and
 * {@link GroupEncrypt} lets nothing of the group be read or sent.
 * <p>
 * Two changes to SSL_KEY_EXCHANGE: the key server listens on an ephemeral port (a runtime hosts
 * many cells, and each coordinator is a key server; joiners are told the exact address in the
 * join response), and it reads a client within {@link #HANDSHAKE_MS}, counting a failed
 * handshake as an untrusted member (JGroups' accept loop serves one client at a time and had no
 * read timeout: one silent connection would have held every joiner off). Same protocol id.
 */
final class GroupKeyExchange extends SSL_KEY_EXCHANGE {

    /** A handshake on loopback takes a few ms; a LAN's a few tens. */
    static final int HANDSHAKE_MS = 2000;
    private static final String[] TLS13 = { "TLSv1.3" };

    private final Refusals refusals;
    private final String local;

    GroupKeyExchange(SSLContext context, InetAddress bindAddress, Refusals refusals, String local) {
        this.refusals = refusals;
        this.local = local;
        setId(ClassConfigurator.getProtocolId(SSL_KEY_EXCHANGE.class));
        setClientSSLContext(context);
        setServerSSLContext(context);
        setRequireClientAuthentication(true);
        setSslProtocol("TLSv1.3");
        setBindAddress(bindAddress);
        setSocketTimeout(HANDSHAKE_MS);
    }

    @Override
    protected SSLServerSocket createServerSocket() throws Exception {
        SSLServerSocket s = (SSLServerSocket) server_ssl_ctx.getServerSocketFactory().createServerSocket(0, 50,
                bind_addr);
        s.setNeedClientAuth(true);
        s.setEnabledProtocols(TLS13);
        return s;
    }

    @Override
    protected void accept() {
        try (SSLSocket client = (SSLSocket) srv_sock.accept()) {
            client.setSoTimeout(HANDSHAKE_MS);
            try {
                client.startHandshake();
            } catch (IOException e) {
                refusals.refuse(Rejection.UNTRUSTED_MEMBER, local, "a key request from "
                        + client.getRemoteSocketAddress() + ": " + e.getMessage());
                return;
            }
            DataInput in = new DataInputStream(client.getInputStream());
            DataOutputStream out = new DataOutputStream(client.getOutputStream());
            if (in.readByte() != Type.SECRET_KEY_REQ.ordinal()) {
                refusals.refuse(Rejection.BAD_GROUP_MESSAGE, local, "a bad key request from "
                        + client.getRemoteSocketAddress());
                return;
            }
            @SuppressWarnings("unchecked")
            Tuple<SecretKey, byte[]> key = (Tuple<SecretKey, byte[]>) up_prot.up(new Event(Event.GET_SECRET_KEY));
            if (key == null || key.val1() == null) {
                return;
            }
            byte[] version = key.val2();
            byte[] secret = key.val1().getEncoded();
            out.write(Type.SECRET_KEY_RSP.ordinal());
            out.writeInt(version.length);
            out.write(version);
            out.writeInt(secret.length);
            out.write(secret);
            out.flush();
        } catch (IOException | RuntimeException e) {
            log.trace("%s: key request failed: %s", local_addr, e.getMessage());
        }
    }
}
