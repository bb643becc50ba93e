package p3.console.internal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import p3.report.base.PrivateFiles;

/**
 * The operator's secret: a random token in a file that only the runtime's owner can read, created
 * on the first start and kept afterwards. Actions of the console that change the mesh carry it in
 * the header {@value #HEADER}; whoever can read the file may act.
 */
final class OperatorToken {

    static final String HEADER = "X-P3-Token";
    private static final int BYTES = 32;
    private static final int SHORTEST = 16;

    private final Path file;
    private final byte[] token;

    private OperatorToken(Path file, String token) {
        this.file = file;
        this.token = token.getBytes(UTF_8);
    }

    /**
     * Reads the token from {@code file}, or writes a new one there (owner-only) when there is none.
     * Runtimes that share the file race safely: the token is written aside and linked in place, so
     * a reader never sees half of it and the first writer wins.
     *
     * @throws IOException when the file cannot be read or written
     * @throws IllegalStateException when the file holds something too short to be a secret
     */
    static OperatorToken of(Path file) throws IOException {
        if (!Files.exists(file)) {
            create(file);
        }
        PrivateFiles.ensure(file); // tightens the permissions of a file that others could read
        String t = Files.readString(file, UTF_8).strip();
        if (t.length() < SHORTEST) {
            throw new IllegalStateException("p3: the console token in " + file.toAbsolutePath() + " is shorter than "
                    + SHORTEST + " characters; delete the file and a new token is made");
        }
        return new OperatorToken(file, t);
    }

    private static void create(Path file) throws IOException {
        byte[] random = new byte[BYTES];
        new SecureRandom().nextBytes(random);
        String t = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path aside = Files.createTempFile(dir, ".console-token", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(aside, t + "\n", UTF_8);
            Files.createLink(file, aside);
        } catch (FileAlreadyExistsException e) {
            // another runtime made it first: its token is the one
        } finally {
            Files.deleteIfExists(aside);
        }
    }

    Path file() {
        return file;
    }

    /** Whether the presented value is the token; in constant time. */
    boolean accepts(String presented) {
        return presented != null && MessageDigest.isEqual(token, presented.strip().getBytes(UTF_8));
    }
}
