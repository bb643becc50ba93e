package p3.security.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import p3.security.PeerIdentity;
import p3.security.Role;

class CaCommandTest {

    @TempDir
    Path tmp;

    private String out;
    private String err;

    private int ca(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = CaCommand.execute(new PrintWriter(o), new PrintWriter(e), args);
        out = o.toString();
        err = e.toString();
        return code;
    }

    @Test
    void initIssueListRevokeAndExport() throws Exception {
        String dir = tmp.resolve("pki").toString();
        assertThat(ca("init", "--dir", dir, "--mesh", "rail", "--days", "30")).isZero();
        assertThat(out).contains("created the CA of mesh 'rail'");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(dir, "ca.key")))).isEqualTo("rw-------");

        assertThat(ca("init", "--dir", dir)).isEqualTo(1);
        assertThat(err).contains("a CA exists already in " + dir);

        assertThat(ca("issue", "sp01", "--role", "super", "--dir", dir)).isZero();
        assertThat(out).contains("issued sp01 (super)");
        assertThat(ca("issue", "s01", "--role", "SENSOR", "--days", "2", "--dir", dir)).isZero();
        assertThat(ca("issue", "c01", "--role", "client", "--dir", dir)).isZero();
        assertThat(ca("issue", "s01", "--role", "sensor", "--dir", dir)).isEqualTo(1);
        assertThat(err).contains("s01 has credentials already").contains("--replace");
        assertThat(ca("issue", "s01", "--role", "super", "--replace", "--dir", dir)).isZero();
        assertThat(PkiFolder.identity(new PkiFolder(Path.of(dir)).readPeerCertificate("s01")))
                .isEqualTo(new PeerIdentity("s01", Role.SUPER));

        assertThat(ca("revoke", "c01", "--dir", dir)).isZero();
        assertThat(out).contains("revoked c01").contains("crl.pem");
        assertThat(ca("revoke", "c01", "--dir", dir)).isZero();
        assertThat(out).contains("revoked already");

        assertThat(ca("list", "--dir", dir)).isZero();
        assertThat(out).contains("O=P3 mesh rail").contains("1 revoked");
        assertThat(line("c01")).contains("client").contains("revoked");
        assertThat(line("sp01")).contains("super").contains("here").contains("valid");
        assertThat(line("s01")).contains("super").contains("valid");

        Path host = tmp.resolve("host2");
        assertThat(ca("export", "sp01", "s01", "--to", host.toString(), "--dir", dir)).isZero();
        try (Stream<Path> files = Files.walk(host)) {
            assertThat(files.filter(Files::isRegularFile).map(p -> host.relativize(p).toString()))
                    .containsExactlyInAnyOrder("ca.crt", "crl.pem", "peers/sp01.crt", "peers/sp01.key",
                            "peers/s01.crt", "peers/s01.key");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(host.resolve("peers/s01.key"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(host))).isEqualTo("rwx------");
        assertThat(Files.readString(host.resolve("crl.pem"))).isEqualTo(Files.readString(Path.of(dir, "crl.pem")));

        // on the host: the list works without the key, issuing does not
        assertThat(ca("list", "--dir", host.toString())).isZero();
        assertThat(out).contains("no key here");
        assertThat(ca("issue", "s09", "--role", "sensor", "--dir", host.toString())).isEqualTo(1);
        assertThat(err).contains(host.resolve("ca.key") + " is missing");

        // a revoked peer is not exported; nor into the CA's own folder
        assertThat(ca("export", "c01", "--to", tmp.resolve("host3").toString(), "--dir", dir)).isEqualTo(1);
        assertThat(err).contains("revoked");
        assertThat(ca("export", "s01", "--to", dir, "--dir", dir)).isEqualTo(1);
    }

    @Test
    void usageErrorsExitTwoAndSayWhatToTry() {
        assertThat(ca()).isEqualTo(2);
        assertThat(err).contains("init").contains("issue").contains("revoke").contains("list").contains("export");
        assertThat(ca("issue", "sp01", "--role", "king", "--dir", tmp.toString())).isEqualTo(2);
        assertThat(err).contains("role must be super, sensor, client or operator");
        assertThat(ca("issue", "sp01", "--dir", tmp.toString())).isEqualTo(2);
        assertThat(err).contains("--role");
        assertThat(ca("frobnicate")).isEqualTo(2);
        assertThat(ca("help", "issue")).isZero();
        assertThat(out).contains("--replace");
    }

    @Test
    void withoutACaTheCommandsSaySo() {
        String dir = tmp.resolve("none").toString();
        assertThat(ca("issue", "sp01", "--role", "super", "--dir", dir)).isEqualTo(1);
        assertThat(err).contains("ca.key is missing").contains("./p3 ca init");
        assertThat(ca("list", "--dir", dir)).isEqualTo(1);
        assertThat(ca("revoke", "sp01", "--dir", dir)).isEqualTo(1);
        assertThat(ca("issue", "../x", "--role", "super", "--dir", dir)).isEqualTo(1);
        assertThat(err).contains("PeerId");
    }

    private String line(String peer) {
        return out.lines().filter(l -> l.startsWith(peer + " ")).findFirst().orElseThrow(() -> new AssertionError(out));
    }
}
