package p3.security.internal;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CRLException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM files (RFC 7468) with the JDK alone: certificates (a chain is several blocks, the peer's first),
 * PKCS#8 private keys ({@code PRIVATE KEY}, unencrypted: the file's permissions guard it) and X.509
 * revocation lists.
 *
 * <p>Every file is written whole to a temporary file in its folder and then moved or linked into place,
 * so that a reader (a runtime re-reading {@code crl.pem}) never sees half a file. A private key's
 * temporary file is created {@code rw-------} in the same call that creates it: the secret is never
 * readable by others, not even for a moment. Folders made here are {@code rwx------}.
 */
public final class Pem {

    public static final String CERTIFICATE = "CERTIFICATE";
    public static final String PRIVATE_KEY = "PRIVATE KEY";
    public static final String CRL = "X509 CRL";

    /** Owner read and write only: private keys. */
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    /** Readable by all: certificates and revocation lists, which are public. */
    public static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");
    /** Folders: the owner's alone. */
    public static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final int LINE = 64;

    private Pem() {
    }

    /** One PEM block: header, the DER in Base64 lines of 64, footer. */
    public static String encode(String type, byte[] der) {
        StringBuilder b = new StringBuilder("-----BEGIN ").append(type).append("-----\n");
        String text = Base64.getEncoder().encodeToString(der);
        for (int i = 0; i < text.length(); i += LINE) {
            b.append(text, i, Math.min(text.length(), i + LINE)).append('\n');
        }
        return b.append("-----END ").append(type).append("-----\n").toString();
    }

    /**
     * The DER of every block of {@code type} in {@code text}, in order.
     *
     * @throws IllegalArgumentException when a block's Base64 is broken
     */
    public static List<byte[]> decode(String text, String type) {
        List<byte[]> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(type)) {
                out.add(Base64.getMimeDecoder().decode(m.group(2)));
            }
        }
        return out;
    }

    // --- certificates --------------------------------------------------------------------------

    public static String certificates(X509Certificate... chain) throws CertificateException {
        StringBuilder b = new StringBuilder();
        for (X509Certificate c : chain) {
            b.append(encode(CERTIFICATE, c.getEncoded()));
        }
        return b.toString();
    }

    /** Writes a certificate or a chain, readable by all. */
    public static void writeCertificates(Path file, boolean replace, X509Certificate... chain)
            throws IOException, CertificateException {
        write(file, certificates(chain), PUBLIC, replace);
    }

    /**
     * The certificates of a file, in order.
     *
     * @throws CertificateException naming the file when it holds none or one is broken
     */
    public static X509Certificate[] readCertificates(Path file) throws IOException, CertificateException {
        List<byte[]> blocks = blocks(file, CERTIFICATE);
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        X509Certificate[] chain = new X509Certificate[blocks.size()];
        for (int i = 0; i < chain.length; i++) {
            try {
                Certificate c = factory.generateCertificate(new ByteArrayInputStream(blocks.get(i)));
                chain[i] = (X509Certificate) c;
            } catch (CertificateException | ClassCastException e) {
                throw new CertificateException(file + ": certificate " + (i + 1) + " is broken: " + e.getMessage(), e);
            }
        }
        return chain;
    }

    // --- private keys --------------------------------------------------------------------------

    /** Writes a PKCS#8 private key, readable and writable by its owner alone from the start. */
    public static void writePrivateKey(Path file, PrivateKey key, boolean replace) throws IOException {
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new IllegalArgumentException("not a PKCS#8 key: " + key.getFormat());
        }
        write(file, encode(PRIVATE_KEY, key.getEncoded()), OWNER_ONLY, replace);
    }

    /**
     * A PKCS#8 EC private key.
     *
     * @throws GeneralSecurityException naming the file when it holds no key, or not an EC key
     */
    public static PrivateKey readPrivateKey(Path file) throws IOException, GeneralSecurityException {
        List<byte[]> blocks = blocks(file, PRIVATE_KEY);
        if (blocks.size() != 1) {
            throw new InvalidKeySpecException(file + ": holds " + blocks.size() + " private keys, not one");
        }
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(blocks.get(0)));
        } catch (InvalidKeySpecException e) {
            throw new InvalidKeySpecException(file + ": not a PKCS#8 EC private key: " + e.getMessage(), e);
        }
    }

    // --- revocation lists ----------------------------------------------------------------------

    /** Writes a revocation list, readable by all, replacing the previous one in one step. */
    public static void writeCrl(Path file, X509CRL crl) throws IOException, CRLException {
        write(file, encode(CRL, crl.getEncoded()), PUBLIC, true);
    }

    /** @throws CRLException naming the file when it holds no list or a broken one */
    public static X509CRL readCrl(Path file) throws IOException, GeneralSecurityException {
        List<byte[]> blocks = blocks(file, CRL);
        if (blocks.size() != 1) {
            throw new CRLException(file + ": holds " + blocks.size() + " revocation lists, not one");
        }
        try {
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(blocks.get(0)));
        } catch (CRLException | ClassCastException e) {
            throw new CRLException(file + ": the revocation list is broken: " + e.getMessage(), e);
        }
    }

    // --- files ---------------------------------------------------------------------------------

    private static List<byte[]> blocks(Path file, String type) throws IOException, CertificateException {
        String text = Files.readString(file, US_ASCII);
        List<byte[]> blocks;
        try {
            blocks = decode(text, type);
        } catch (IllegalArgumentException e) {
            throw new CertificateException(file + ": broken Base64 in a " + type + " block: " + e.getMessage(), e);
        }
        if (blocks.isEmpty()) {
            throw new CertificateException(file + ": holds no " + type + " (not a PEM file?)");
        }
        return blocks;
    }

    /**
     * Makes a folder and its missing parents, those it makes {@code rwx------}. A folder that exists
     * keeps its permissions.
     */
    public static void createFolder(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return;
        }
        Path parent = absolute.getParent();
        if (parent != null) {
            createFolder(parent);
        }
        try {
            Files.createDirectory(absolute, attributes(FOLDER));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(absolute)) {
                throw e;
            }
        }
    }

    /**
     * Writes {@code text} to {@code file} through a temporary file of the same folder created with
     * {@code permissions}. Without {@code replace}, fails with {@link FileAlreadyExistsException} when
     * the file exists (checked atomically by a hard link where the file system has them).
     */
    static void write(Path file, String text, Set<PosixFilePermission> permissions, boolean replace) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        createFolder(dir);
        Path aside = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", attributes(permissions));
        try {
            Files.writeString(aside, text, US_ASCII);
            if (replace) {
                try {
                    Files.move(aside, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } else {
                try {
                    Files.createLink(file, aside); // fails if the file exists: two writers, one wins
                } catch (UnsupportedOperationException e) {
                    Files.move(aside, file);
                }
            }
        } finally {
            Files.deleteIfExists(aside);
        }
    }

    /** Whether anyone but the owner may read or write {@code file} (false where the file system has no POSIX permissions). */
    public static boolean openToOthers(Path file) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return false;
        }
        Set<PosixFilePermission> p = view.readAttributes().permissions();
        return p.contains(PosixFilePermission.GROUP_READ) || p.contains(PosixFilePermission.GROUP_WRITE)
                || p.contains(PosixFilePermission.OTHERS_READ) || p.contains(PosixFilePermission.OTHERS_WRITE);
    }

    private static FileAttribute<?>[] attributes(Set<PosixFilePermission> permissions) {
        if (java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(permissions) };
        }
        return new FileAttribute<?>[0];
    }
}
