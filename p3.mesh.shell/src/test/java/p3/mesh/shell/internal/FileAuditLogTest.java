package p3.mesh.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The audit log: one JSON line per action, appended, readable by the owner alone. */
class FileAuditLogTest {

    @TempDir
    Path dir;

    @Test
    void recordsWhoWhatWhenAndHowItWent() throws Exception {
        Path file = dir.resolve(".p3/audit.log");
        FileAuditLog log = new FileAuditLog(file);
        Instant before = Instant.now();

        log.record("shell (user root)", "crash sp03", "ok");
        log.record("console 127.0.0.1:5000", "unload \"video\"\nx", "refused: no or a wrong operator token");

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertThat(first.get("who").asText()).isEqualTo("shell (user root)");
        assertThat(first.get("what").asText()).isEqualTo("crash sp03");
        assertThat(first.get("outcome").asText()).isEqualTo("ok");
        assertThat(Instant.parse(first.get("time").asText())).isAfterOrEqualTo(before);
        assertThat(new ObjectMapper().readTree(lines.get(1)).get("what").asText()).isEqualTo("unload \"video\"\nx");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(log.failed()).isZero();
    }

    @Test
    void theFileIsConfiguredElseTheFrameworkPropertyElseTheDefault() {
        assertThat(FileAuditLog.path("/a/b.log", "/c/d.log")).isEqualTo(Path.of("/a/b.log"));
        assertThat(FileAuditLog.path("", "/c/d.log")).isEqualTo(Path.of("/c/d.log"));
        assertThat(FileAuditLog.path(" ", null)).isEqualTo(Path.of(".p3/audit.log"));
    }

    @Test
    void aRecordThatCannotBeWrittenIsCountedNotThrown() throws Exception {
        Path file = dir.resolve("audit.log");
        FileAuditLog log = new FileAuditLog(file);
        Files.delete(file);
        Files.createDirectory(file); // writing to a folder fails

        log.record("shell", "leave sp01", "ok");

        assertThat(log.failed()).isEqualTo(1);
    }
}
