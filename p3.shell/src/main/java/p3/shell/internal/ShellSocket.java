package p3.shell.internal;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The remote shell's Unix domain socket, which only the runtime's user (and root) can open: the
 * file permissions are the gate.
 *
 * <ul>
 * <li>Its folder is created owner-only (0700) when missing. An existing folder must belong to the
 * runtime's user and be writable by nobody else (else another user could replace the socket);
 * it may be readable and traversable by others: the socket itself is 0600.
 * <li>The socket is bound in a private staging folder (0700) inside that folder, made 0600 there,
 * and only then renamed into place: it never exists at its path with the permissions of the
 * process's umask.
 * <li>A socket left at the path by a runtime that died is replaced; a live one is not (another
 * runtime listens there), nor is a file of another kind.
 * </ul>
 *
 * {@link #close()} removes the socket file if it is still the one this runtime made.
 */
final class ShellSocket implements AutoCloseable {

    static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> SOCKET = PosixFilePermissions.fromString("rw-------");
    private static final int BACKLOG = 16;

    final ServerSocketChannel channel;
    /** The absolute path of the socket. */
    final Path file;
    /** The runtime's user: the owner of what it creates. */
    final UserPrincipal owner;
    /** root, who may use the shell too (it can do anything anyway); null when unknown. */
    final UserPrincipal root;
    private final Object fileKey;

    private ShellSocket(ServerSocketChannel channel, Path file, UserPrincipal owner, Object fileKey) {
        this.channel = channel;
        this.file = file;
        this.owner = owner;
        this.root = root();
        this.fileKey = fileKey;
    }

    /**
     * Listens on {@code socket}, relative to the working folder unless absolute.
     *
     * @throws IOException saying what is wrong with the folder or the path
     */
    static ShellSocket open(Path socket) throws IOException {
        Path file = socket.toAbsolutePath().normalize();
        Path folder = file.getParent();
        if (folder == null) {
            throw new IOException(file + " has no folder");
        }
        prepareFolder(folder);
        Path staging = staging(folder);
        try {
            UserPrincipal me = Files.getOwner(staging);
            UserPrincipal folderOwner = Files.getOwner(folder);
            if (!folderOwner.equals(me)) {
                throw new IOException("the folder " + folder + " belongs to " + folderOwner.getName() + ", not to "
                        + me.getName() + " who runs this runtime");
            }
            Path bound = staging.resolve("s");
            ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.bind(UnixDomainSocketAddress.of(bound), BACKLOG);
                Files.setPosixFilePermissions(bound, SOCKET);
                clearStale(file);
                Files.move(bound, file, StandardCopyOption.ATOMIC_MOVE);
                Object key = Files.readAttributes(file, BasicFileAttributes.class, NOFOLLOW_LINKS).fileKey();
                return new ShellSocket(channel, file, me, key);
            } catch (IOException | RuntimeException e) {
                channel.close();
                Files.deleteIfExists(bound);
                throw e;
            }
        } finally {
            Files.deleteIfExists(staging);
        }
    }

    /** Stops listening and removes the socket file, unless another runtime has replaced it since. */
    @Override
    public void close() throws IOException {
        channel.close();
        try {
            Object key = Files.readAttributes(file, BasicFileAttributes.class, NOFOLLOW_LINKS).fileKey();
            if (fileKey != null && fileKey.equals(key)) {
                Files.delete(file);
            }
        } catch (NoSuchFileException e) {
            // removed already
        }
    }

    /** True when the peer may use the shell: the runtime's user or root. */
    boolean allowed(UserPrincipal user) {
        return user.equals(owner) || user.equals(root);
    }

    /** Creates the folder owner-only when missing; checks an existing one. */
    static void prepareFolder(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(FOLDER));
            Files.setPosixFilePermissions(folder, FOLDER); // whatever the umask took away
        }
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(folder, PosixFileAttributes.class);
        } catch (UnsupportedOperationException e) {
            throw new IOException("the remote shell needs a POSIX file system for " + folder, e);
        }
        if (!a.isDirectory()) {
            throw new IOException(folder + " is not a folder");
        }
        if (a.permissions().contains(PosixFilePermission.GROUP_WRITE)
                || a.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException("the folder " + folder + " is writable by others ("
                    + PosixFilePermissions.toString(a.permissions()) + "): another user could replace the socket;"
                    + " chmod go-w it, or choose another folder");
        }
    }

    /** A folder of its own (0700) beside the socket, named short: a socket's path has at most 107 bytes. */
    private static Path staging(Path folder) throws IOException {
        for (int attempt = 0;; attempt++) {
            Path p = folder.resolve(".s" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36));
            try {
                Files.createDirectory(p, PosixFilePermissions.asFileAttribute(FOLDER));
                return p;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }

    /** Removes a socket that nobody listens on any more; refuses a live one and any other kind of file. */
    private static void clearStale(Path file) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class, NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if (!a.isOther()) {
            throw new IOException(file + " exists and is not a socket: remove it, or choose another path");
        }
        boolean live;
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(file))) {
            live = probe.isConnected();
        } catch (ConnectException e) {
            live = false; // ECONNREFUSED: left by a runtime that is gone
        }
        if (live) {
            throw new IOException("another runtime listens on " + file + ": stop it, or choose another socket");
        }
        Files.deleteIfExists(file);
    }

    private static UserPrincipal root() {
        try {
            return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("root");
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return Objects.toString(file);
    }
}
