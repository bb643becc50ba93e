package p3.console.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's token: made once, readable by the owner alone, checked in constant time. */
class OperatorTokenTest {

    @TempDir
    Path dir;

    @Test
    void madeOnTheFirstStartOwnerOnlyAndKept() throws Exception {
        Path file = dir.resolve(".p3/console.token");

        OperatorToken first = OperatorToken.of(file);
        String secret = Files.readString(file).strip();
        OperatorToken again = OperatorToken.of(file);

        assertThat(secret).hasSizeGreaterThanOrEqualTo(40);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(first.accepts(secret)).isTrue();
        assertThat(again.accepts(secret + "\n")).isTrue();
        assertThat(again.accepts(secret.substring(1))).isFalse();
        assertThat(again.accepts(null)).isFalse();
        assertThat(again.accepts("")).isFalse();
        try (var leftovers = Files.list(file.getParent())) {
            assertThat(leftovers).containsExactly(file);
        }
    }

    @Test
    void aFileOthersCouldReadIsMadeOwnerOnly() throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "0123456789abcdefghij\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        OperatorToken t = OperatorToken.of(file);

        assertThat(t.accepts("0123456789abcdefghij")).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aTooShortTokenIsNamed() throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "short");

        assertThatThrownBy(() -> OperatorToken.of(file)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("delete the file");
    }
}
