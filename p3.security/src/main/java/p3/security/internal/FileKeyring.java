package p3.security.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import p3.security.Keyring;
import p3.security.MeshTrust;
import p3.security.PeerCredentials;
import p3.security.Role;
import p3.security.ca.MeshCa;

/**
 * The runtime's keyring: its peers' credentials and the mesh's trust, from a {@link PkiFolder}.
 *
 * <ul>
 * <li>A folder with no CA at all, and {@code autoIssue}: a new CA is created there (a single-host
 * mesh; {@code ./p3 run} on a fresh clone is secure with no set-up).</li>
 * <li>A folder with {@code ca.key} (the CA's host), and {@code autoIssue}: a local peer with no
 * credentials yet is issued them, for the role it asks, and they are saved.</li>
 * <li>A folder without {@code ca.key} (another host of a mesh): a peer's files must have been copied
 * there; if not, the error names the missing file and the command that makes it.</li>
 * </ul>
 *
 * The revocation list {@code crl.pem} is looked at before a check at most once a second and read
 * again when it changed ({@link RevocationWatch}). Credentials are cached per peer, and checked again
 * (expiry, revocation, role) each time they are asked for. Thread-safe.
 */
@Component(service = Keyring.class, immediate = true, configurationPid = FileKeyring.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = FileKeyring.Config.class)
public final class FileKeyring implements Keyring {

    public static final String PID = "p3.security";
    /** Framework property: the PKI folder when the configuration does not say. */
    public static final String DIR_PROPERTY = "p3.security.dir";
    /** Framework property: {@code false} turns security off, as {@code enabled=false} does. */
    public static final String ENABLED_PROPERTY = "p3.security.enabled";
    public static final String DEFAULT_DIR = ".p3/pki";
    /** How often, at most, the revocation list's file is looked at. */
    static final Duration LOOK_INTERVAL = Duration.ofSeconds(1);

    @ObjectClassDefinition(name = "P3 security",
            description = "The mesh's certificate authority, this runtime's peers' keys and certificates, and the"
                    + " revocation list, from a PKI folder (./p3 ca makes and exports its files)")
    public @interface Config {
        @AttributeDefinition(description = "Secure links, cells and discovery with the mesh's certificates. false"
                + " runs them in the clear, unauthenticated (the framework property p3.security.enabled=false does"
                + " the same)")
        boolean enabled() default true;

        @AttributeDefinition(description = "The PKI folder (ca.crt, crl.pem, peers/ID.crt and .key, and ca.key on"
                + " the CA's host); empty: the framework property p3.security.dir, else .p3/pki under the working"
                + " folder")
        String dir() default "";

        @AttributeDefinition(description = "The mesh's name, written in the certificates of a CA created here")
        String mesh() default "local";

        @AttributeDefinition(description = "Create a CA in an empty folder, and issue a local peer its key and"
                + " certificate when the folder holds ca.key and the peer has none")
        boolean autoIssue() default true;

        @AttributeDefinition(description = "Days a certificate issued here is valid")
        int peerDays() default 365;
    }

    /** What the component runs with, checked. */
    record Settings(boolean enabled, Path dir, String mesh, boolean autoIssue, Duration peerValidity,
            Duration lookInterval) {
        Settings {
            Objects.requireNonNull(dir, "dir");
            Objects.requireNonNull(mesh, "mesh");
            if (mesh.isBlank()) {
                throw new IllegalArgumentException("mesh of configuration " + PID + " must not be empty");
            }
            if (peerValidity.isNegative() || peerValidity.isZero()) {
                throw new IllegalArgumentException("peerDays of configuration " + PID + " must be positive, was "
                        + peerValidity.toDays());
            }
        }

        static Settings of(Config c, String dirProperty, String enabledProperty) {
            if (enabledProperty != null && !enabledProperty.isBlank()
                    && !enabledProperty.strip().equalsIgnoreCase("true") && !enabledProperty.strip().equalsIgnoreCase("false")) {
                throw new IllegalArgumentException("the framework property " + ENABLED_PROPERTY
                        + " must be true or false, was '" + enabledProperty + "'");
            }
            boolean enabled = c.enabled() && !"false".equalsIgnoreCase(String.valueOf(enabledProperty).strip());
            String dir = !c.dir().isBlank() ? c.dir().strip()
                    : dirProperty != null && !dirProperty.isBlank() ? dirProperty.strip() : DEFAULT_DIR;
            if (c.peerDays() < 1) {
                throw new IllegalArgumentException("peerDays of configuration " + PID + " must be positive, was "
                        + c.peerDays());
            }
            return new Settings(enabled, Path.of(dir), c.mesh().strip(), c.autoIssue(), Duration.ofDays(c.peerDays()),
                    LOOK_INTERVAL);
        }
    }

    private static final Logger LOG = System.getLogger(FileKeyring.class.getName());

    private final Settings settings;
    private final PkiFolder folder;
    /** The CA, on its host (ca.key in the folder); else null. */
    private final MeshCa ca;
    private final RevocationWatch trust;
    private final ConcurrentMap<String, Credentials> cache = new ConcurrentHashMap<>();

    @Activate
    public FileKeyring(Config config, BundleContext context) {
        this(Settings.of(config, context.getProperty(DIR_PROPERTY), context.getProperty(ENABLED_PROPERTY)));
    }

    /**
     * @throws IllegalStateException when the folder gives no trust: no CA and no {@code autoIssue},
     *                               unreadable files, an expired CA; the message names the file
     */
    FileKeyring(Settings settings) {
        this.settings = settings;
        if (!settings.enabled()) {
            LOG.log(Level.WARNING, "p3 security: OFF (enabled=false of configuration " + PID + " or the framework"
                    + " property " + ENABLED_PROPERTY + "=false): links, cells and discovery run in the clear,"
                    + " and any host that reaches them is taken for a peer");
            this.folder = null;
            this.ca = null;
            this.trust = null;
            return;
        }
        this.folder = new PkiFolder(settings.dir());
        try {
            this.ca = openCa();
            Object stamp = RevocationWatch.stamp(folder.crl());
            this.trust = new RevocationWatch(folder.trust(), folder.crl(), stamp, settings.lookInterval().toNanos(),
                    System::nanoTime);
        } catch (IOException | GeneralSecurityException e) {
            String why = "p3 security: cannot use the PKI folder " + settings.dir().toAbsolutePath() + ": "
                    + describe(e) + " (dir of configuration " + PID + ", or the framework property " + DIR_PROPERTY + ")";
            LOG.log(Level.ERROR, why);
            throw new IllegalStateException(why, e);
        }
        LOG.log(Level.INFO, "p3 security: on; the mesh''s CA is {0}{1}", folder.caCertificate().toAbsolutePath(),
                ca != null ? " (its key is here: this runtime issues its peers' certificates)" : "");
    }

    private MeshCa openCa() throws IOException, GeneralSecurityException {
        if (!folder.hasCaCertificate() && !folder.hasCaKey()) {
            if (!settings.autoIssue()) {
                throw new NoSuchFileException(folder.caCertificate().toString(), null, "missing, and autoIssue is"
                        + " false: copy the mesh's files here (./p3 ca export PEER --to DIR on the CA's host), or"
                        + " make a CA here (./p3 ca init --dir " + settings.dir() + ")");
            }
            try {
                MeshCa created = folder.createCa(settings.mesh(), MeshCa.CA_VALIDITY);
                LOG.log(Level.INFO, "p3 security: created the CA of mesh ''{0}'' in {1} (ca.key readable by its owner"
                        + " alone); its peers'' certificates are made as they start", settings.mesh(),
                        settings.dir().toAbsolutePath());
                return created;
            } catch (FileAlreadyExistsException e) {
                // another runtime created it at the same moment: use it
            }
        }
        return folder.hasCaKey() ? folder.loadCa() : null;
    }

    @Override
    public boolean secure() {
        return settings.enabled();
    }

    @Override
    public MeshTrust trust() {
        checkSecure();
        return trust;
    }

    @Override
    public PeerCredentials credentials(String peerId, Role role) throws GeneralSecurityException {
        checkSecure();
        Objects.requireNonNull(peerId, "peerId");
        Objects.requireNonNull(role, "role");
        Credentials c = cache.get(peerId);
        if (c == null) {
            synchronized (this) { // one load or issue at a time: rare, and files are written
                c = cache.get(peerId);
                if (c == null) {
                    c = load(peerId, role);
                    cache.put(peerId, c);
                }
            }
        }
        check(c, peerId, role);
        return c;
    }

    /** Cached credentials are checked again: they may have expired or been revoked since. */
    private void check(Credentials c, String peerId, Role role) throws GeneralSecurityException {
        if (c.identity().role() != role) {
            throw new CertificateException(folder.peerCertificate(peerId) + ": names " + c.identity() + ", not "
                    + peerId + " (" + role.label() + "): issue it again for that role ("
                    + issueCommand(peerId, role) + " --replace), or configure the peer as a " + c.identity().role().label());
        }
        try {
            trust.verify(c.chain());
        } catch (CertificateException e) {
            cache.remove(peerId, c); // renewed files are read at the next ask
            throw new CertificateException(folder.peerCertificate(peerId) + ": refused: "
                    + PkiFolder.why(e, c.chain()[0]) + renewal(peerId, role), e);
        }
    }

    private Credentials load(String peerId, Role role) throws GeneralSecurityException {
        try {
            PkiFolder.checkPeerId(peerId);
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
        try {
            if (!folder.hasPeer(peerId)) {
                if (ca == null) {
                    throw new GeneralSecurityException("no credentials for " + peerId + ": "
                            + folder.peerCertificate(peerId) + " is missing. This host has no CA key ("
                            + folder.caKey() + "): on the CA's host run " + issueCommand(peerId, role)
                            + " and ./p3 ca export " + peerId + " --to DIR, then copy DIR's files into "
                            + settings.dir().toAbsolutePath());
                }
                if (!settings.autoIssue()) {
                    throw new GeneralSecurityException("no credentials for " + peerId + ": "
                            + folder.peerCertificate(peerId) + " is missing, and autoIssue of configuration " + PID
                            + " is false: " + issueCommand(peerId, role));
                }
                Instant until = Instant.now().plus(settings.peerValidity());
                folder.issue(ca, peerId, role, settings.peerValidity(), false);
                LOG.log(Level.INFO, "p3 security: issued {0} ({1}) a key and certificate, valid until {2}: {3}",
                        peerId, role.label(), until, folder.peerCertificate(peerId).toAbsolutePath());
            }
            Credentials c = folder.loadPeer(peerId, trust);
            LOG.log(Level.DEBUG, "p3 security: {0}: credentials from {1}", peerId, folder.peerCertificate(peerId));
            return c;
        } catch (NoSuchFileException e) {
            throw new GeneralSecurityException("no credentials for " + peerId + ": " + describe(e)
                    + (ca == null ? "; copy it from the CA's host (./p3 ca export " + peerId + " --to DIR)"
                            : "; " + issueCommand(peerId, role) + " --replace makes both files again"), e);
        } catch (IOException e) {
            throw new GeneralSecurityException("no credentials for " + peerId + ": " + describe(e), e);
        } catch (GeneralSecurityException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("no credentials for ")) {
                throw e; // ours, with its advice
            }
            throw new GeneralSecurityException(e.getMessage() + renewal(peerId, role), e);
        }
    }

    private String renewal(String peerId, Role role) {
        return ca == null ? "; on the CA's host: " + issueCommand(peerId, role) + " --replace, then export and copy"
                : "; " + issueCommand(peerId, role) + " --replace";
    }

    /** The command that issues the peer: with this folder on the CA's host, without elsewhere (the CA's is another). */
    private String issueCommand(String peerId, Role role) {
        return "./p3 ca issue " + peerId + " --role " + role.label()
                + (ca != null ? " --dir " + settings.dir().toAbsolutePath() : "");
    }

    private void checkSecure() {
        if (!settings.enabled()) {
            throw new IllegalStateException("p3 security is off (enabled=false of configuration " + PID
                    + " or the framework property " + ENABLED_PROPERTY + "=false)");
        }
    }

    /** The file and the reason of an I/O error, as a user reads them. */
    static String describe(Exception e) {
        if (e instanceof NoSuchFileException n) {
            return n.getFile() + " is missing" + (n.getReason() != null ? " (" + n.getReason() + ")" : "");
        }
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + " exists already" + (f.getReason() != null ? " (" + f.getReason() + ")" : "");
        }
        if (e instanceof java.nio.file.AccessDeniedException a) {
            return a.getFile() + ": permission denied";
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /** For tests: how often the revocation list was read again. */
    int revocationReads() {
        return trust == null ? 0 : trust.reads();
    }
}
