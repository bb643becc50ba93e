package p3.security.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import javax.net.ssl.X509TrustManager;

import p3.security.MeshTrust;
import p3.security.PeerIdentity;

/**
 * A {@link Trust} that follows its revocation list file: before a check, at most once per
 * {@code interval}, it looks at the file's modification time, size and identity (one {@code stat});
 * when they changed it reads the list again and {@link Trust#update}s. So a list copied to a host
 * refuses the peers it revokes from their next handshake, a second later at most, with no thread of
 * its own. A list that cannot be read (half copied, not the CA's) is logged, the previous one stays,
 * and the file is read again at the next look. Thread-safe: one caller looks, the others go on with
 * the list they have.
 */
final class RevocationWatch implements MeshTrust {

    private static final Logger LOG = System.getLogger(RevocationWatch.class.getName());

    private final Trust trust;
    private final Path file;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final AtomicLong nextLook;
    private final X509TrustManager trustManager = new TrustManagers(this);
    /** What the file was when last read; guarded by this. */
    private Object seen;
    /** How many times the file was read and the list replaced; for tests and logs. */
    private volatile int reads;

    /**
     * @param seen what {@link #stamp} said of the file before {@code trust} was made from it (so that
     *             a change while it was read is not missed)
     */
    RevocationWatch(Trust trust, Path file, Object seen, long intervalNanos, LongSupplier nanoClock) {
        this.trust = Objects.requireNonNull(trust, "trust");
        this.file = Objects.requireNonNull(file, "file");
        this.intervalNanos = intervalNanos;
        this.nanoClock = nanoClock;
        this.nextLook = new AtomicLong(nanoClock.getAsLong());
        synchronized (this) {
            this.seen = seen;
        }
    }

    /** Looks at the file if it is time; reads it again if it changed. */
    void look() {
        long now = nanoClock.getAsLong();
        long next = nextLook.get();
        if (now - next < 0 || !nextLook.compareAndSet(next, now + intervalNanos)) {
            return; // not yet, or another thread looks
        }
        reload();
    }

    /** Reads the file again if it changed since last read. */
    synchronized void reload() {
        Object stamp = stamp(file);
        if (stamp == null || stamp.equals(seen)) {
            return; // gone (the last list stays) or unchanged
        }
        try {
            X509CRL list = Pem.readCrl(file);
            trust.update(list);
            seen = stamp;
            reads++;
            LOG.log(Level.INFO, "p3 security: read the revocation list {0} again: {1} revoked",
                    file, list.getRevokedCertificates() == null ? 0 : list.getRevokedCertificates().size());
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            // not remembered as seen: read again at the next look (a copy may be under way)
            LOG.log(Level.WARNING, "p3 security: cannot read the revocation list {0}, keeping the previous one: {1}",
                    file, e.getMessage());
        }
    }

    int reads() {
        return reads;
    }

    /** What identifies a version of the file: its identity, time and size; null when it is not there. */
    static Object stamp(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            // a file moved into place has a new identity; one copied over in place a new time or size
            return java.util.List.of(String.valueOf(a.fileKey()), a.lastModifiedTime(), a.size());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.log(Level.WARNING, "p3 security: cannot look at the revocation list {0}: {1}", file, e.toString());
            return null;
        }
    }

    Trust trust() {
        return trust;
    }

    @Override
    public PeerIdentity verify(X509Certificate[] chain) throws CertificateException {
        look();
        return trust.verify(chain);
    }

    @Override
    public PeerIdentity verifySignature(byte[] data, byte[] signature, X509Certificate[] chain)
            throws GeneralSecurityException {
        look();
        return trust.verifySignature(data, signature, chain);
    }

    @Override
    public X509TrustManager trustManager() {
        return trustManager;
    }

    @Override
    public X509Certificate authority() {
        return trust.authority();
    }
}
