package p3.security.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import p3.security.PeerCredentials;
import p3.security.Role;
import p3.security.ca.MeshCa;

class PemTest {

    private static final Duration DAY = Duration.ofDays(1);

    @TempDir
    Path tmp;

    @Test
    void aChainAKeyAndAListComeBackAsTheyWere() throws Exception {
        MeshCa ca = MeshCa.create("pem", DAY);
        PeerCredentials s01 = ca.issue("s01", Role.SENSOR, DAY);
        X509CRL crl = ca.revoke(ca.issue("s02", Role.SENSOR, DAY).chain()[0]);

        Pem.writeCertificates(tmp.resolve("s01.crt"), false, s01.chain());
        Pem.writePrivateKey(tmp.resolve("s01.key"), s01.privateKey(), false);
        Pem.writeCrl(tmp.resolve("crl.pem"), crl);

        X509Certificate[] chain = Pem.readCertificates(tmp.resolve("s01.crt"));
        assertThat(chain).containsExactly(s01.chain());
        assertThat(Pem.readCrl(tmp.resolve("crl.pem"))).isEqualTo(crl);
        // the key read back signs what the certificate checks
        Signature s = Signature.getInstance(Trust.SIGNATURE);
        s.initSign(Pem.readPrivateKey(tmp.resolve("s01.key")));
        s.update(new byte[] { 1, 2, 3 });
        assertThat(ca.trust().verifySignature(new byte[] { 1, 2, 3 }, s.sign(), chain)).isEqualTo(s01.identity());
        assertThat(Files.readString(tmp.resolve("s01.key"))).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(Files.readAllLines(tmp.resolve("s01.crt"))).allMatch(line -> line.length() <= 64);
    }

    @Test
    void aKeyIsTheOwnersAloneAndItsNewFoldersToo() throws Exception {
        PeerCredentials c = MeshCa.create("pem", DAY).issue("s01", Role.SENSOR, DAY);
        Path key = tmp.resolve("a/b/s01.key");
        Pem.writePrivateKey(key, c.privateKey(), false);
        Pem.writeCertificates(tmp.resolve("a/b/s01.crt"), false, c.chain());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("a")))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("a/b")))).isEqualTo("rwx------");
        assertThat(Pem.openToOthers(key)).isFalse();
        // nothing left aside
        try (var files = Files.list(tmp.resolve("a/b"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("s01.key", "s01.crt");
        }
    }

    @Test
    void aFileIsNotOverwrittenUnlessAsked() throws Exception {
        PeerCredentials c = MeshCa.create("pem", DAY).issue("s01", Role.SENSOR, DAY);
        PeerCredentials other = MeshCa.create("pem", DAY).issue("s01", Role.SENSOR, DAY);
        Path key = tmp.resolve("s01.key");
        Pem.writePrivateKey(key, c.privateKey(), false);
        assertThatThrownBy(() -> Pem.writePrivateKey(key, other.privateKey(), false))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Pem.readPrivateKey(key)).isEqualTo(c.privateKey());
        Pem.writePrivateKey(key, other.privateKey(), true);
        assertThat(Pem.readPrivateKey(key)).isEqualTo(other.privateKey());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    }

    @Test
    void whatIsNotPemIsRefusedNamingTheFile() throws Exception {
        Path junk = tmp.resolve("junk.crt");
        Files.writeString(junk, "hello\n");
        assertThatThrownBy(() -> Pem.readCertificates(junk)).isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining(junk.toString()).hasMessageContaining("no CERTIFICATE");
        assertThatThrownBy(() -> Pem.readPrivateKey(junk)).hasMessageContaining(junk.toString());
        Files.writeString(junk, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> Pem.readCertificates(junk)).hasMessageContaining(junk.toString())
                .hasMessageContaining("broken");
    }
}
