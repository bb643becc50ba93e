package p3.security;

import java.security.GeneralSecurityException;

import org.osgi.annotation.versioning.ProviderType;

/** Where a runtime finds the credentials of its peers. A service. */
@ProviderType
public interface Keyring {

    /**
     * Whether the runtime's channels are secured. False only when security was turned off
     * explicitly: links, cells and discovery then run in the clear, and the runtime says so.
     */
    boolean secure();

    /**
     * A local peer's credentials.
     *
     * @throws GeneralSecurityException when it has none that fit (missing, unreadable, expired, revoked,
     *                                  naming another peer or role), with the file and the reason
     * @throws IllegalStateException    when the runtime is not {@link #secure()}
     */
    PeerCredentials credentials(String peerId, Role role) throws GeneralSecurityException;

    /**
     * What the runtime trusts.
     *
     * @throws IllegalStateException when the runtime is not {@link #secure()}
     */
    MeshTrust trust();
}
