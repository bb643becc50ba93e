package p3.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import p3.security.PeerCredentials;
import p3.security.PeerIdentity;
import p3.security.Role;

class FileKeyringTest {

    @TempDir
    Path tmp;

    private static FileKeyring keyring(Path dir, boolean autoIssue) {
        return new FileKeyring(new FileKeyring.Settings(true, dir, "test", autoIssue, Duration.ofDays(2),
                FileKeyring.LOOK_INTERVAL));
    }

    private static int ca(String... args) {
        return CaCommand.execute(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), args);
    }

    @Test
    void anEmptyFolderGetsACaAndEachLocalPeerItsCredentials() throws Exception {
        Path dir = tmp.resolve(".p3/pki");
        FileKeyring keyring = keyring(dir, true);
        assertThat(keyring.secure()).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca.key")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(dir.resolve("crl.pem")).exists();

        PeerCredentials sp01 = keyring.credentials("sp01", Role.SUPER);
        assertThat(sp01.identity()).isEqualTo(new PeerIdentity("sp01", Role.SUPER));
        assertThat(keyring.trust().verify(sp01.chain())).isEqualTo(sp01.identity());
        assertThat(sp01.chain()[1]).isEqualTo(keyring.trust().authority());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("peers/sp01.key"))))
                .isEqualTo("rw-------");
        assertThat(keyring.credentials("sp01", Role.SUPER)).isSameAs(sp01);

        // a second start of the runtime reads the same CA and files
        FileKeyring again = keyring(dir, true);
        assertThat(again.trust().authority()).isEqualTo(keyring.trust().authority());
        assertThat(again.credentials("sp01", Role.SUPER).chain()).containsExactly(sp01.chain());
    }

    @Test
    void credentialsForAnotherRoleAreRefused() throws Exception {
        FileKeyring keyring = keyring(tmp, true);
        keyring.credentials("s01", Role.SENSOR);
        assertThatThrownBy(() -> keyring.credentials("s01", Role.SUPER)).isInstanceOf(CertificateException.class)
                .hasMessageContaining("names s01 (sensor), not s01 (super)").hasMessageContaining("--replace");
        // the same from the files, in a new runtime
        assertThatThrownBy(() -> keyring(tmp, true).credentials("s01", Role.SUPER))
                .hasMessageContaining(tmp.resolve("peers/s01.crt").toString());
    }

    @Test
    void aHostWithoutTheCaKeyUsesTheExportedFilesAndNamesAMissingOne() throws Exception {
        Path caHost = tmp.resolve("ca");
        Path host = tmp.resolve("host2");
        assertThat(ca("init", "--dir", caHost.toString(), "--mesh", "rail")).isZero();
        assertThat(ca("issue", "s01", "--role", "sensor", "--dir", caHost.toString())).isZero();
        assertThat(ca("export", "s01", "--to", host.toString(), "--dir", caHost.toString())).isZero();

        FileKeyring keyring = keyring(host, true);
        PeerCredentials s01 = keyring.credentials("s01", Role.SENSOR);
        assertThat(s01.identity().peerId()).isEqualTo("s01");
        assertThat(host.resolve("ca.key")).doesNotExist();

        assertThatThrownBy(() -> keyring.credentials("s02", Role.SENSOR)).isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining(host.resolve("peers/s02.crt") + " is missing")
                .hasMessageContaining("./p3 ca issue s02 --role sensor")
                .hasMessageContaining("./p3 ca export s02");
        assertThat(host.resolve("peers/s02.key")).doesNotExist(); // nothing was made here
    }

    @Test
    void aRevokedPeerIsRefusedOnceTheNewListIsCopied() throws Exception {
        Path caHost = tmp.resolve("ca");
        Path host = tmp.resolve("host2");
        ca("init", "--dir", caHost.toString());
        ca("issue", "s01", "--role", "sensor", "--dir", caHost.toString());
        ca("issue", "s02", "--role", "sensor", "--dir", caHost.toString());
        ca("export", "s01", "s02", "--to", host.toString(), "--dir", caHost.toString());
        FileKeyring keyring = keyring(host, false);
        PeerCredentials s01 = keyring.credentials("s01", Role.SENSOR);
        PeerCredentials s02 = keyring.credentials("s02", Role.SENSOR);
        assertThat(keyring.trust().verify(s01.chain()).peerId()).isEqualTo("s01");

        assertThat(ca("revoke", "s01", "--dir", caHost.toString())).isZero();
        Files.copy(caHost.resolve("crl.pem"), host.resolve("crl.pem"), StandardCopyOption.REPLACE_EXISTING);

        // read again within a second of a check (the look interval), no sleep
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                assertThatThrownBy(() -> keyring.trust().verify(s01.chain())).hasMessageContaining("revoked"));
        assertThat(keyring.revocationReads()).isEqualTo(1);
        assertThat(keyring.trust().verify(s02.chain()).peerId()).isEqualTo("s02");
        assertThatThrownBy(() -> keyring.trust().trustManager().checkClientTrusted(s01.chain(), "EC"))
                .hasMessageContaining("revoked");
        assertThatThrownBy(() -> keyring.credentials("s01", Role.SENSOR)).hasMessageContaining("revoked")
                .hasMessageContaining(host.resolve("peers/s01.crt").toString());
    }

    @Test
    void aHalfCopiedListKeepsThePreviousOne() throws Exception {
        FileKeyring keyring = new FileKeyring(new FileKeyring.Settings(true, tmp, "test", true, Duration.ofDays(1),
                Duration.ZERO)); // looks at every check
        PeerCredentials s01 = keyring.credentials("s01", Role.SENSOR);
        Files.writeString(tmp.resolve("crl.pem"), "-----BEGIN X509 CRL-----\nMIIB");
        keyring.trust().verify(s01.chain()); // looks, cannot read, keeps the list
        assertThat(keyring.revocationReads()).isZero();
        assertThat(keyring.trust().verify(s01.chain()).peerId()).isEqualTo("s01");
    }

    @Test
    void withoutAutoIssueAnEmptyFolderIsRefusedNamingTheFile() {
        assertThatThrownBy(() -> keyring(tmp.resolve("none"), false)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(tmp.resolve("none/ca.crt") + " is missing").hasMessageContaining("./p3 ca");
    }

    @Test
    void withoutAutoIssueTheCaHostIssuesNothing() throws Exception {
        ca("init", "--dir", tmp.toString());
        FileKeyring keyring = keyring(tmp, false);
        assertThatThrownBy(() -> keyring.credentials("c01", Role.CLIENT))
                .hasMessageContaining(tmp.resolve("peers/c01.crt").toString())
                .hasMessageContaining("autoIssue").hasMessageContaining("./p3 ca issue c01 --role client");
    }

    @Test
    void anExpiredCertificateIsRefusedNamingTheFileAndTheRenewal() throws Exception {
        ca("init", "--dir", tmp.toString());
        PkiFolder folder = new PkiFolder(tmp);
        java.time.Instant now = java.time.Instant.now();
        folder.savePeer(folder.loadCa().issue(new PeerIdentity("s01", Role.SENSOR), now.minus(Duration.ofDays(3)),
                now.minus(Duration.ofDays(1))), false);
        assertThatThrownBy(() -> keyring(tmp, true).credentials("s01", Role.SENSOR))
                .hasMessageContaining(tmp.resolve("peers/s01.crt").toString()).hasMessageContaining("expired on")
                .hasMessageContaining("./p3 ca issue s01 --role sensor");
        assertThat(ca("issue", "s01", "--role", "sensor", "--replace", "--dir", tmp.toString())).isZero();
        assertThat(keyring(tmp, true).credentials("s01", Role.SENSOR).identity().peerId()).isEqualTo("s01");
    }

    @Test
    void peersAskingAtOnceGetOneIssueEach() throws Exception {
        FileKeyring keyring = keyring(tmp, true);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            java.util.List<java.util.concurrent.Future<PeerCredentials>> asked = new java.util.ArrayList<>();
            for (int i = 0; i < 32; i++) {
                String id = "s0" + (i % 4);
                asked.add(pool.submit(() -> keyring.credentials(id, Role.SENSOR)));
            }
            java.util.Map<String, PeerCredentials> byPeer = new java.util.HashMap<>();
            for (var f : asked) {
                PeerCredentials c = f.get(10, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(byPeer.computeIfAbsent(c.identity().peerId(), k -> c)).isSameAs(c);
            }
            assertThat(byPeer).hasSize(4);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aKeyOthersMayReadIsRefused() throws Exception {
        FileKeyring keyring = keyring(tmp, true);
        keyring.credentials("s01", Role.SENSOR);
        Files.setPosixFilePermissions(tmp.resolve("peers/s01.key"), PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> keyring(tmp, true).credentials("s01", Role.SENSOR))
                .hasMessageContaining("chmod 600 " + tmp.resolve("peers/s01.key"));
    }

    @Test
    void aPeerIdThatIsNoFileNameIsRefused() {
        FileKeyring keyring = keyring(tmp, true);
        assertThatThrownBy(() -> keyring.credentials("../ca", Role.SUPER)).isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("PeerId");
    }

    @Test
    void turnedOffItIsNotSecureAndHasNoCredentials() {
        Path dir = tmp.resolve("pki");
        FileKeyring keyring = new FileKeyring(new FileKeyring.Settings(false, dir, "test", true, Duration.ofDays(1),
                FileKeyring.LOOK_INTERVAL));
        assertThat(keyring.secure()).isFalse();
        assertThatThrownBy(() -> keyring.credentials("s01", Role.SENSOR)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("enabled=false");
        assertThatThrownBy(keyring::trust).isInstanceOf(IllegalStateException.class);
        assertThat(dir).doesNotExist();
    }

    @Test
    void theFrameworkPropertyTurnsItOffTooAndBadValuesAreNamed() {
        FileKeyring.Config defaults = config(true, "", 365);
        assertThat(FileKeyring.Settings.of(defaults, null, null).enabled()).isTrue();
        assertThat(FileKeyring.Settings.of(defaults, null, "false").enabled()).isFalse();
        assertThat(FileKeyring.Settings.of(config(false, "", 365), null, "true").enabled()).isFalse();
        assertThat(FileKeyring.Settings.of(defaults, null, null).dir()).isEqualTo(Path.of(".p3/pki"));
        assertThat(FileKeyring.Settings.of(defaults, "/srv/pki", null).dir()).isEqualTo(Path.of("/srv/pki"));
        assertThat(FileKeyring.Settings.of(config(true, "/etc/p3", 365), "/srv/pki", null).dir()).isEqualTo(Path.of("/etc/p3"));
        assertThatThrownBy(() -> FileKeyring.Settings.of(defaults, null, "no")).hasMessageContaining("p3.security.enabled");
        assertThatThrownBy(() -> FileKeyring.Settings.of(config(true, "", 0), null, null)).hasMessageContaining("peerDays");
    }

    private static FileKeyring.Config config(boolean enabled, String dir, int peerDays) {
        return new FileKeyring.Config() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return FileKeyring.Config.class;
            }

            @Override
            public boolean enabled() {
                return enabled;
            }

            @Override
            public String dir() {
                return dir;
            }

            @Override
            public String mesh() {
                return "local";
            }

            @Override
            public boolean autoIssue() {
                return true;
            }

            @Override
            public int peerDays() {
                return peerDays;
            }
        };
    }
}
