package p3.security.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import p3.security.PeerIdentity;
import p3.security.Role;
import p3.security.ca.MeshCa;

/**
 * The mesh's CA tool, {@code ./p3 ca}: makes a CA, issues, revokes, lists and exports peers' keys and
 * certificates in a {@link PkiFolder}. Runs outside OSGi: {@code java -cp p3.security-*.jar
 * p3.security.internal.CaCommand init} (the bundle's jar carries Bouncy Castle and picocli).
 *
 * <p>Exits 0 when done, 1 when it could not (the message says which file and why), 2 on a usage error.
 */
@Command(name = "./p3 ca", sortOptions = false, usageHelpAutoWidth = true,
        description = "The mesh's certificate authority: every peer has a key and a certificate naming its PeerId"
                + " and role.",
        subcommands = { CaCommand.Init.class, CaCommand.Issue.class, CaCommand.Revoke.class, CaCommand.ListPeers.class,
                CaCommand.Export.class, CommandLine.HelpCommand.class },
        footer = { "", "The PKI folder is --dir, else the system property p3.security.dir, else .p3/pki",
                "under the working folder; ./p3 ca uses the repository's .p3/pki, as ./p3 run does." })
public final class CaCommand implements Callable<Integer> {

    /** The system property that gives the default folder: what the runtime reads too. */
    public static final String DIR_PROPERTY = FileKeyring.DIR_PROPERTY;

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
            .withZone(ZoneOffset.UTC);

    @Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String... args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(execute(out, err, args));
    }

    /** Runs one command line; what it prints goes to {@code out}, errors to {@code err}. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine line = new CommandLine(new CaCommand());
        line.setOut(out);
        line.setErr(err);
        line.registerConverter(Role.class, value -> {
            try {
                return Role.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        });
        line.setParameterExceptionHandler((e, a) -> {
            err.println("p3 ca: " + e.getMessage());
            err.println("Try './p3 ca help" + (e.getCommandLine() == line ? "" : " " + e.getCommandLine().getCommandName())
                    + "'.");
            return USAGE;
        });
        line.setExecutionExceptionHandler((e, l, r) -> {
            err.println("p3 ca: " + (e instanceof Failure ? e.getMessage() : FileKeyring.describe(e)));
            return FAILED;
        });
        int code = line.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    /** A failure the user can act on; its message says what to do. */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message);
        }
    }

    /** The folder option every command takes. */
    static final class Folder {
        @Option(names = "--dir", paramLabel = "DIR", description = "The PKI folder (default: ${DEFAULT-VALUE})")
        Path dir = Path.of(System.getProperty(DIR_PROPERTY, FileKeyring.DEFAULT_DIR));

        PkiFolder folder() {
            return new PkiFolder(dir);
        }

        MeshCa ca() throws IOException, GeneralSecurityException {
            PkiFolder f = folder();
            if (!f.hasCaKey()) {
                throw new Failure("no CA key here: " + f.caKey() + " is missing. Issue and revoke on the CA's host,"
                        + " or make a CA here: ./p3 ca init --dir " + dir);
            }
            return f.loadCa();
        }
    }

    static Duration days(int days, String option) {
        if (days < 1) {
            throw new Failure(option + " must be a positive number of days, was " + days);
        }
        return Duration.ofDays(days);
    }

    static String when(Date date) {
        return DAY.format(date.toInstant());
    }

    // --- init ----------------------------------------------------------------------------------

    @Command(name = "init", description = "Make the mesh's CA: ca.key (readable by you alone), ca.crt and an empty"
            + " crl.pem. Refuses a folder that has one.")
    static final class Init implements Callable<Integer> {
        @Mixin
        Folder folder;

        @Option(names = "--mesh", paramLabel = "NAME", description = "The mesh's name, in every certificate"
                + " (default: ${DEFAULT-VALUE})")
        String mesh = "local";

        @Option(names = "--days", paramLabel = "N", description = "Days the CA is valid (default: ${DEFAULT-VALUE})")
        int days = (int) MeshCa.CA_VALIDITY.toDays();

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Duration validity = days(days, "--days");
            if (mesh.isBlank()) {
                throw new Failure("--mesh must not be empty");
            }
            PkiFolder f = folder.folder();
            for (Path p : List.of(f.caKey(), f.caCertificate())) {
                if (Files.exists(p)) {
                    throw new Failure("a CA exists already in " + f.dir() + " (" + p.getFileName() + "); init does not"
                            + " overwrite it, since every peer's certificate comes from it. A new mesh: another --dir,"
                            + " or remove " + f.dir() + " first (every peer then needs a new certificate)");
                }
            }
            MeshCa ca = f.createCa(mesh.strip(), validity);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("created the CA of mesh '%s' in %s, valid until %s%n", ca.mesh(), f.dir(),
                    when(ca.certificate().getNotAfter()));
            out.printf("  %-9s the CA's key, readable by you alone: keep it on this host, never copy it%n", PkiFolder.CA_KEY);
            out.printf("  %-9s the CA's certificate: every host of the mesh has it%n", PkiFolder.CA_CERTIFICATE);
            out.printf("  %-9s the revocation list: copy it to every host after ./p3 ca revoke%n", PkiFolder.CRL);
            out.printf("next: ./p3 ca issue PEER --role super|sensor|client|operator%n");
            return OK;
        }
    }

    // --- issue ---------------------------------------------------------------------------------

    @Command(name = "issue", description = "Issue a peer a new key and a certificate naming its PeerId and role:"
            + " peers/PEER.key (readable by you alone) and peers/PEER.crt.")
    static final class Issue implements Callable<Integer> {
        @Parameters(paramLabel = "PEER", description = "The peer's PeerId, as configured (peerId of p3.mesh.peer)")
        String peer;

        @Option(names = "--role", required = true, paramLabel = "ROLE",
                description = "super, sensor, client or operator: what the peer may be")
        Role role;

        @Option(names = "--days", paramLabel = "N", description = "Days the certificate is valid (default: ${DEFAULT-VALUE})")
        int days = (int) MeshCa.PEER_VALIDITY.toDays();

        @Option(names = "--replace", description = "Issue again over existing files (renewal, another role); the old"
                + " certificate stays valid until it expires unless revoked first")
        boolean replace;

        @Mixin
        Folder folder;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Duration validity = days(days, "--days");
            checkPeer(peer);
            PkiFolder f = folder.folder();
            MeshCa ca = folder.ca();
            if (!replace && f.hasPeer(peer)) {
                throw new Failure(peer + " has credentials already (" + f.peerCertificate(peer) + "); --replace issues"
                        + " a new key and certificate (if the old key may have leaked, ./p3 ca revoke " + peer
                        + " first)");
            }
            X509Certificate cert = f.issue(ca, peer, role, validity, replace).chain()[0];
            spec.commandLine().getOut().printf("issued %s (%s), valid until %s: %s, %s (readable by you alone)%n",
                    peer, role.label(), when(cert.getNotAfter()), f.peerCertificate(peer), f.peerKey(peer));
            return OK;
        }
    }

    // --- revoke --------------------------------------------------------------------------------

    @Command(name = "revoke", description = "Put a peer's certificate on the revocation list and write crl.pem; copy"
            + " it to every host: each refuses the peer from its next handshake.")
    static final class Revoke implements Callable<Integer> {
        @Parameters(paramLabel = "PEER", description = "The peer's PeerId")
        String peer;

        @Mixin
        Folder folder;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            checkPeer(peer);
            PkiFolder f = folder.folder();
            MeshCa ca = folder.ca();
            if (!Files.exists(f.peerCertificate(peer))) {
                throw new Failure("no certificate of " + peer + " here: " + f.peerCertificate(peer) + " is missing");
            }
            X509Certificate cert = f.readPeerCertificate(peer);
            try {
                cert.verify(ca.certificate().getPublicKey());
            } catch (GeneralSecurityException e) {
                throw new Failure(f.peerCertificate(peer) + " was not issued by this CA (" + f.caCertificate() + ")");
            }
            PrintWriter out = spec.commandLine().getOut();
            if (ca.revocations().isRevoked(cert)) {
                out.printf("%s is revoked already (serial %s); %s lists it%n", peer, cert.getSerialNumber().toString(16),
                        f.crl());
                return OK;
            }
            f.saveRevocations(ca.revoke(cert));
            out.printf("revoked %s (serial %s): wrote %s%n", peer, cert.getSerialNumber().toString(16), f.crl());
            out.printf("copy it to the PKI folder of every host (scp -p %s HOST:DIR/); each runtime reads it within a"
                    + " second and refuses %s from its next handshake%n", f.crl(), peer);
            return OK;
        }
    }

    // --- list ----------------------------------------------------------------------------------

    @Command(name = "list", description = "The CA and the peers of the folder: role, expiry, whether revoked.")
    static final class ListPeers implements Callable<Integer> {
        @Mixin
        Folder folder;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PkiFolder f = folder.folder();
            if (!f.hasCaCertificate()) {
                throw new Failure("no CA here: " + f.caCertificate() + " is missing (./p3 ca init --dir " + f.dir()
                        + " makes one)");
            }
            X509Certificate authority = f.authority();
            X509CRL crl = f.revocations();
            PrintWriter out = spec.commandLine().getOut();
            out.printf("CA %s, valid until %s; %s%n", authority.getSubjectX500Principal().getName(),
                    when(authority.getNotAfter()), f.hasCaKey() ? "its key is here (this host issues)"
                            : "no key here (issue on the CA's host)");
            out.printf("revocation list %s%n", crl == null ? "missing: " + f.crl()
                    : "of " + when(crl.getThisUpdate()) + ", " + (crl.getRevokedCertificates() == null ? 0
                            : crl.getRevokedCertificates().size()) + " revoked");
            List<String> peers = f.peers();
            if (peers.isEmpty()) {
                out.println("no peers (./p3 ca issue PEER --role ROLE)");
                return OK;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] { "PEER", "ROLE", "EXPIRES", "KEY", "STATUS" });
            for (String id : peers) {
                rows.add(row(f, id, authority, crl));
            }
            int[] widths = new int[5];
            for (String[] r : rows) {
                for (int i = 0; i < r.length; i++) {
                    widths[i] = Math.max(widths[i], r[i].length());
                }
            }
            for (String[] r : rows) {
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < r.length; i++) {
                    b.append(i == r.length - 1 ? r[i] : String.format("%-" + (widths[i] + 2) + "s", r[i]));
                }
                out.println(b.toString().stripTrailing());
            }
            return OK;
        }

        private static String[] row(PkiFolder f, String id, X509Certificate authority, X509CRL crl) {
            String key;
            try {
                key = Files.exists(f.peerKey(id)) ? "here" : "-";
            } catch (IllegalArgumentException e) {
                return new String[] { id, "?", "?", "?", "not a PeerId: a file name the tool does not use" };
            }
            X509Certificate cert;
            try {
                cert = f.readPeerCertificate(id);
            } catch (IOException | GeneralSecurityException e) {
                return new String[] { id, "?", "?", key, "unreadable: " + FileKeyring.describe(e) };
            }
            PeerIdentity who = PkiFolder.identity(cert);
            String role = who == null ? "?" : who.role().label();
            String status;
            try {
                cert.verify(authority.getPublicKey());
                if (crl != null && crl.isRevoked(cert)) {
                    status = "revoked";
                } else {
                    cert.checkValidity();
                    status = who == null ? "names no peer" : !who.peerId().equals(id) ? "names " + who.peerId() : "valid";
                }
            } catch (java.security.cert.CertificateExpiredException e) {
                status = "expired";
            } catch (java.security.cert.CertificateNotYetValidException e) {
                status = "not yet valid";
            } catch (GeneralSecurityException e) {
                status = "not issued by this CA";
            }
            return new String[] { id, role, when(cert.getNotAfter()), key, status };
        }
    }

    // --- export --------------------------------------------------------------------------------

    @Command(name = "export", description = "Copy what one host needs into a folder of its own: ca.crt, crl.pem and"
            + " the peers' .crt and .key files, never ca.key. Copy that folder to the host (scp -rp).")
    static final class Export implements Callable<Integer> {
        @Parameters(paramLabel = "PEER", arity = "1..*", description = "The PeerIds of the peers that host runs")
        List<String> peers;

        @Option(names = "--to", required = true, paramLabel = "DIR", description = "The folder to write; the host's"
                + " PKI folder once copied there")
        Path to;

        @Mixin
        Folder folder;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            peers.forEach(CaCommand::checkPeer);
            PkiFolder f = folder.folder();
            PkiFolder target = new PkiFolder(to);
            if (to.toAbsolutePath().normalize().equals(f.dir().toAbsolutePath().normalize())) {
                throw new Failure("--to is the CA's own folder; export to a new folder");
            }
            if (target.hasCaKey()) {
                throw new Failure(target.caKey() + " exists: --to must not be a CA's folder (a host's folder holds no"
                        + " CA key)");
            }
            if (!f.hasCaCertificate()) {
                throw new Failure("no CA here: " + f.caCertificate() + " is missing");
            }
            X509Certificate authority = f.authority();
            if (target.hasCaCertificate() && !target.authority().equals(authority)) {
                throw new Failure(target.caCertificate() + " is another CA's: export to a folder of this mesh's, or a"
                        + " new one");
            }
            X509CRL crl = f.revocations();
            if (crl == null) {
                throw new Failure(f.crl() + " is missing: the CA writes it (init, revoke); a host needs it");
            }
            Trust trust = f.trust();
            List<Credentials> exported = new ArrayList<>();
            for (String id : peers) {
                if (!Files.exists(f.peerCertificate(id)) || !Files.exists(f.peerKey(id))) {
                    throw new Failure("no credentials of " + id + " here (" + f.peerCertificate(id) + " and "
                            + f.peerKey(id) + "): ./p3 ca issue " + id + " --role ROLE first");
                }
                try {
                    exported.add(f.loadPeer(id, trust));
                } catch (GeneralSecurityException e) {
                    throw new Failure(e.getMessage() + "; issue it again (./p3 ca issue " + id + " --role ROLE --replace)");
                }
            }
            Pem.createFolder(to);
            Pem.writeCertificates(target.caCertificate(), true, authority);
            target.saveRevocations(crl);
            for (Credentials c : exported) {
                target.savePeer(c, true);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.printf("exported to %s: %s, %s and, for %s, peers/ID.crt and peers/ID.key (readable by you alone);"
                    + " no CA key%n", to, PkiFolder.CA_CERTIFICATE, PkiFolder.CRL, String.join(", ", peers));
            out.printf("copy it to the host with its permissions, as the host's PKI folder (.p3/pki of its clone, or"
                    + " the dir of configuration p3.security): scp -rp %s HOST:p3/.p3/pki%n", to);
            return OK;
        }
    }

    static void checkPeer(String peer) {
        try {
            PkiFolder.checkPeerId(peer);
        } catch (IllegalArgumentException e) {
            throw new Failure(e.getMessage());
        }
    }

}
