package p3.report.base;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/** Files that only the runtime's owner may read: the console's token, the audit log. */
public final class PrivateFiles {

    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);

    private PrivateFiles() {
    }

    /**
     * Creates the file (and its folders) readable and writable by the owner alone, if it is not
     * there; a file that is there and that others may read is made owner-only.
     *
     * @return whether it created the file
     */
    public static boolean ensure(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        boolean posix = Files.getFileStore(dir == null ? file.toAbsolutePath() : dir)
                .supportsFileAttributeView(PosixFileAttributeView.class);
        try {
            if (posix) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createFile(file);
            }
            return true;
        } catch (FileAlreadyExistsException e) {
            if (posix && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
            return false;
        }
    }
}
