package p3.security.ca;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import p3.security.MeshTrust;
import p3.security.PeerCredentials;
import p3.security.PeerIdentity;
import p3.security.Role;
import p3.security.internal.Credentials;
import p3.security.internal.PkiFolder;
import p3.security.internal.Trust;

/**
 * A mesh's certificate authority: issues each peer a key and a certificate naming its PeerId and
 * role, and revokes them. Keys are EC P-256 (small certificates, which discovery datagrams carry,
 * and fast TLS 1.3 handshakes); certificates are signed directly by the CA, which is the only
 * issuer a mesh trusts. Bouncy Castle builds the certificates and lists; the JDK signs and checks.
 * Thread-safe.
 */
public final class MeshCa {

    /** How long a peer's certificate is valid unless said otherwise. */
    public static final Duration PEER_VALIDITY = Duration.ofDays(365);
    /** How long a CA's certificate is valid unless said otherwise. */
    public static final Duration CA_VALIDITY = Duration.ofDays(3650);

    private static final String SIGNER = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Clocks of hosts differ: a certificate is valid from a little before it was made. */
    private static final Duration SKEW = Duration.ofMinutes(5);

    private final String mesh;
    private final PrivateKey key;
    private final X509Certificate certificate;
    private final Trust trust;
    private X509CRL revocations;

    private MeshCa(String mesh, PrivateKey key, X509Certificate certificate, X509CRL revocations)
            throws GeneralSecurityException {
        this.mesh = mesh;
        this.key = key;
        this.certificate = certificate;
        this.revocations = revocations != null ? revocations : newList(null, null);
        this.trust = new Trust(certificate, this.revocations);
    }

    /** A new CA for the mesh {@code mesh}, with an empty revocation list. */
    public static MeshCa create(String mesh, Duration validity) throws GeneralSecurityException {
        Objects.requireNonNull(mesh, "mesh");
        KeyPair pair = newKeyPair();
        X500Principal subject = new X500Principal("CN=P3 mesh CA,O=" + escape("P3 mesh " + mesh));
        Instant now = Instant.now();
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(SKEW)), Date.from(now.plus(validity)), subject, pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new MeshCa(mesh, pair.getPrivate(), sign(b, pair.getPrivate()), null);
        } catch (CertIOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    /**
     * A new CA saved in a PKI folder as the keyring reads it ({@code ca.crt}, {@code ca.key} readable
     * by its owner alone, {@code crl.pem}): the runtimes given that folder issue their peers from it.
     *
     * @throws IOException when the folder cannot be written, or holds a CA already
     */
    public static MeshCa createIn(Path dir, String mesh, Duration validity) throws IOException, GeneralSecurityException {
        return new PkiFolder(dir).createCa(mesh, validity);
    }

    /**
     * A CA from its saved key, certificate and revocation list.
     *
     * @param revocations its list, or null to start an empty one
     * @throws GeneralSecurityException when the key is not the certificate's or the list not the CA's
     */
    public static MeshCa of(PrivateKey key, X509Certificate certificate, X509CRL revocations)
            throws GeneralSecurityException {
        if (certificate.getBasicConstraints() < 0) {
            throw new CertificateException("not a CA certificate: " + certificate.getSubjectX500Principal());
        }
        String o = certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
        String mesh = o.replaceFirst("(?s).*O=P3 mesh ([^,]*).*", "$1");
        MeshCa ca = new MeshCa(mesh.equals(o) ? "?" : mesh, key, certificate, revocations);
        // the key must be the certificate's: sign a list and check it with the certificate
        ca.newList(null, null).verify(certificate.getPublicKey());
        return ca;
    }

    public String mesh() {
        return mesh;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public PrivateKey key() {
        return key;
    }

    /** What peers of this mesh trust: certificates of this CA, minus its revocations. */
    public MeshTrust trust() {
        return trust;
    }

    /** A new key and certificate for a peer, valid from now for {@code validity}. */
    public PeerCredentials issue(String peerId, Role role, Duration validity) throws GeneralSecurityException {
        Instant now = Instant.now();
        return issue(new PeerIdentity(peerId, role), now.minus(SKEW), now.plus(validity));
    }

    /** A new key and certificate for a peer, valid in the given window (a past one makes an expired certificate). */
    public PeerCredentials issue(PeerIdentity who, Instant notBefore, Instant notAfter) throws GeneralSecurityException {
        KeyPair pair = newKeyPair();
        X509Certificate cert = certify(who, pair.getPublic(), notBefore, notAfter);
        X509Certificate[] chain = { cert, certificate };
        Instant now = Instant.now();
        if (now.isBefore(notBefore) || now.isAfter(notAfter)) {
            // credentials that others must refuse: what a test of refusal presents
            return Credentials.unchecked(who, pair.getPrivate(), chain, trust);
        }
        return new Credentials(pair.getPrivate(), chain, trust);
    }

    /** A certificate for a key made elsewhere (a host that keeps its key to itself). */
    public X509Certificate certify(PeerIdentity who, PublicKey publicKey, Instant notBefore, Instant notAfter)
            throws GeneralSecurityException {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, serial(), Date.from(notBefore),
                    Date.from(notAfter), new X500Principal(who.subject(mesh)), publicKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            new KeyPurposeId[] { KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth }));
            return sign(b, key);
        } catch (CertIOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    /** Puts a certificate on the revocation list: peers refuse it from the list's next reading on. */
    public synchronized X509CRL revoke(X509Certificate peer) throws GeneralSecurityException {
        revocations = newList(revocations, peer.getSerialNumber());
        trust.update(revocations);
        return revocations;
    }

    /** The latest revocation list, signed by this CA. */
    public synchronized X509CRL revocations() {
        return revocations;
    }

    private X509CRL newList(X509CRL previous, BigInteger revoked) throws GeneralSecurityException {
        Instant now = Instant.now();
        X509v2CRLBuilder b = new JcaX509v2CRLBuilder(certificate.getSubjectX500Principal(), Date.from(now));
        // peers read the list as long as it is the latest; a stale list is the operator's to replace
        b.setNextUpdate(Date.from(now.plus(CA_VALIDITY)));
        if (previous != null && previous.getRevokedCertificates() != null) {
            previous.getRevokedCertificates().forEach(r -> b.addCRLEntry(r.getSerialNumber(), r.getRevocationDate(),
                    CRLReason.unspecified));
        }
        if (revoked != null) {
            b.addCRLEntry(revoked, Date.from(now), CRLReason.unspecified);
        }
        try {
            ContentSigner signer = new JcaContentSignerBuilder(SIGNER).build(key);
            return new JcaX509CRLConverter().getCRL(b.build(signer));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(SIGNER).build(key)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    /** An EC P-256 key pair. */
    public static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    private static String escape(String value) {
        return javax.naming.ldap.Rdn.escapeValue(value);
    }
}
