package p3.security.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import p3.security.MeshTrust;
import p3.security.PeerCredentials;
import p3.security.PeerIdentity;
import p3.security.Role;
import p3.security.ca.MeshCa;

/**
 * A mesh's PKI folder, as the CA tool writes it and a runtime reads it:
 *
 * <pre>
 * ca.crt              the CA's certificate: what every host trusts
 * ca.key              the CA's key: only on the CA's host (rw-------)
 * crl.pem             the CA's revocation list: copied to every host after a revocation
 * peers/ID.crt        a peer's certificate, then the CA's
 * peers/ID.key        a peer's key (rw-------)
 * </pre>
 *
 * Every error names the file and what is wrong with it. Not thread-safe on its own: its callers
 * serialize what they write.
 */
public final class PkiFolder {

    public static final String CA_CERTIFICATE = "ca.crt";
    public static final String CA_KEY = "ca.key";
    public static final String CRL = "crl.pem";
    public static final String PEERS = "peers";

    /** PeerIds are file names here: letters, digits, '.', '_', '-', not starting with a dot. */
    private static final Pattern PEER_ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

    private final Path dir;

    public PkiFolder(Path dir) {
        this.dir = Objects.requireNonNull(dir, "dir");
    }

    public Path dir() {
        return dir;
    }

    public Path caCertificate() {
        return dir.resolve(CA_CERTIFICATE);
    }

    public Path caKey() {
        return dir.resolve(CA_KEY);
    }

    public Path crl() {
        return dir.resolve(CRL);
    }

    public Path peerCertificate(String peerId) {
        return dir.resolve(PEERS).resolve(checkPeerId(peerId) + ".crt");
    }

    public Path peerKey(String peerId) {
        return dir.resolve(PEERS).resolve(checkPeerId(peerId) + ".key");
    }

    /** Whether this folder holds the CA's key: whether this is the CA's host. */
    public boolean hasCaKey() {
        return Files.exists(caKey());
    }

    public boolean hasCaCertificate() {
        return Files.exists(caCertificate());
    }

    /** @throws IllegalArgumentException when {@code peerId} cannot name a file */
    public static String checkPeerId(String peerId) {
        if (peerId == null || !PEER_ID.matcher(peerId).matches()) {
            throw new IllegalArgumentException("a PeerId here is 1 to 128 letters, digits, '.', '_' or '-', not"
                    + " starting with '.': " + peerId);
        }
        return peerId;
    }

    // --- the CA --------------------------------------------------------------------------------

    /**
     * Creates a CA and writes its key, certificate and empty revocation list.
     *
     * @throws FileAlreadyExistsException when this folder has a CA already (its key or certificate)
     */
    public MeshCa createCa(String mesh, Duration validity) throws IOException, GeneralSecurityException {
        for (Path p : List.of(caKey(), caCertificate())) {
            if (Files.exists(p)) {
                throw new FileAlreadyExistsException(p.toString(), null, "this folder has a CA already");
            }
        }
        MeshCa ca = MeshCa.create(mesh, validity);
        Pem.createFolder(dir);
        Pem.writePrivateKey(caKey(), ca.key(), false); // first: a second creator fails here
        Pem.writeCertificates(caCertificate(), false, ca.certificate());
        Pem.writeCrl(crl(), ca.revocations());
        return ca;
    }

    /** The CA from its key, certificate and revocation list (none yet: an empty one). */
    public MeshCa loadCa() throws IOException, GeneralSecurityException {
        X509Certificate certificate = authority();
        PrivateKey key = readKey(caKey());
        X509CRL list = revocations();
        try {
            return MeshCa.of(key, certificate, list);
        } catch (GeneralSecurityException e) {
            throw new GeneralSecurityException(caKey() + " and " + caCertificate() + " do not make a CA: " + e.getMessage(), e);
        }
    }

    /** The CA's certificate. */
    public X509Certificate authority() throws IOException, GeneralSecurityException {
        X509Certificate[] certificates = read(caCertificate(), "the mesh's CA certificate");
        X509Certificate ca = certificates[0];
        if (ca.getBasicConstraints() < 0) {
            throw new CertificateException(caCertificate() + ": not a CA certificate: " + ca.getSubjectX500Principal());
        }
        try {
            ca.checkValidity();
        } catch (CertificateException e) {
            throw new CertificateException(caCertificate() + ": the mesh's CA certificate is not valid now ("
                    + e.getMessage() + "): every peer's certificate must be issued again by a new CA", e);
        }
        return ca;
    }

    /** The revocation list, or null when there is no {@code crl.pem}. */
    public X509CRL revocations() throws IOException, GeneralSecurityException {
        try {
            return Pem.readCrl(crl());
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Writes the CA's latest revocation list. */
    public void saveRevocations(X509CRL list) throws IOException, GeneralSecurityException {
        Pem.writeCrl(crl(), list);
    }

    /** A trust in this folder's CA and revocation list. */
    public Trust trust() throws IOException, GeneralSecurityException {
        X509Certificate authority = authority();
        X509CRL list = revocations();
        try {
            return new Trust(authority, list);
        } catch (GeneralSecurityException e) {
            throw new GeneralSecurityException(crl() + ": not signed by the CA of " + caCertificate() + ": " + e.getMessage(), e);
        }
    }

    // --- peers ---------------------------------------------------------------------------------

    public boolean hasPeer(String peerId) {
        return Files.exists(peerCertificate(peerId)) || Files.exists(peerKey(peerId));
    }

    /** A peer's certificate as its file holds it (the first of its chain), not checked. */
    public X509Certificate readPeerCertificate(String peerId) throws IOException, GeneralSecurityException {
        return read(peerCertificate(peerId), "the certificate of " + peerId)[0];
    }

    /**
     * A peer's credentials, checked against {@code trust}: issued by its CA, valid now, not revoked,
     * the key the certificate's, the certificate naming {@code peerId}.
     *
     * @throws GeneralSecurityException naming the file and the reason
     */
    public Credentials loadPeer(String peerId, MeshTrust trust) throws IOException, GeneralSecurityException {
        Path certificateFile = peerCertificate(peerId);
        X509Certificate[] chain = read(certificateFile, "the certificate of " + peerId);
        PrivateKey key = readKey(peerKey(peerId));
        Credentials credentials;
        try {
            credentials = new Credentials(key, chain, trust);
        } catch (GeneralSecurityException e) {
            throw new GeneralSecurityException(certificateFile + ": refused: " + why(e, chain[0]), e);
        }
        if (!credentials.identity().peerId().equals(peerId)) {
            throw new CertificateException(certificateFile + ": names " + credentials.identity() + ", not " + peerId);
        }
        return credentials;
    }

    /** Writes a peer's key and chain; without {@code replace}, fails when either file exists. */
    public void savePeer(PeerCredentials credentials, boolean replace) throws IOException, GeneralSecurityException {
        String peerId = credentials.identity().peerId();
        Path keyFile = peerKey(peerId);
        Path certificateFile = peerCertificate(peerId);
        if (!replace && Files.exists(certificateFile)) {
            throw new FileAlreadyExistsException(certificateFile.toString(), null, "the peer has a certificate already");
        }
        Pem.createFolder(dir.resolve(PEERS));
        Pem.writePrivateKey(keyFile, credentials.privateKey(), replace);
        try {
            Pem.writeCertificates(certificateFile, replace, credentials.chain());
        } catch (IOException | GeneralSecurityException e) {
            if (!replace) {
                Files.deleteIfExists(keyFile);
            }
            throw e;
        }
    }

    /** Issues a peer a key and certificate with {@code ca} and writes them. */
    public PeerCredentials issue(MeshCa ca, String peerId, Role role, Duration validity, boolean replace)
            throws IOException, GeneralSecurityException {
        checkPeerId(peerId);
        if (!replace && hasPeer(peerId)) {
            throw new FileAlreadyExistsException(peerCertificate(peerId).toString(), null,
                    "the peer has credentials already");
        }
        PeerCredentials issued = ca.issue(peerId, role, validity);
        savePeer(issued, replace);
        return issued;
    }

    /** The PeerIds that have a certificate here, sorted. */
    public List<String> peers() throws IOException {
        List<String> ids = new ArrayList<>();
        Path peers = dir.resolve(PEERS);
        if (!Files.isDirectory(peers)) {
            return ids;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(peers, "*.crt")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                ids.add(name.substring(0, name.length() - ".crt".length()));
            }
        }
        ids.sort(null);
        return ids;
    }

    /** Who a certificate names, or null when it names no peer. */
    public static PeerIdentity identity(X509Certificate certificate) {
        try {
            return PeerIdentity.of(certificate);
        } catch (CertificateException e) {
            return null;
        }
    }

    /** Why a certificate was refused, in words: the JDK says "NotAfter: date" for an expired one. */
    public static String why(GeneralSecurityException e, X509Certificate certificate) {
        if (e instanceof java.security.cert.CertificateExpiredException) {
            return "expired on " + certificate.getNotAfter().toInstant();
        }
        if (e instanceof java.security.cert.CertificateNotYetValidException) {
            return "not valid before " + certificate.getNotBefore().toInstant() + " (is this host's clock right?)";
        }
        return e.getMessage();
    }

    // --- reading -------------------------------------------------------------------------------

    private static X509Certificate[] read(Path file, String what) throws IOException, GeneralSecurityException {
        try {
            return Pem.readCertificates(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, what);
        }
    }

    /** Reads a private key, refusing one that others may read (as ssh does). */
    static PrivateKey readKey(Path file) throws IOException, GeneralSecurityException {
        PrivateKey key;
        try {
            key = Pem.readPrivateKey(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "a private key");
        }
        if (Pem.openToOthers(file)) {
            throw new GeneralSecurityException(file + ": a private key that others may read or write is refused;"
                    + " chmod 600 " + file + " (and think whether it leaked)");
        }
        return key;
    }
}
