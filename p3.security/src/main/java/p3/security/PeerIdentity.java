package p3.security;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * A peer as its certificate names it: the subject's common name is the PeerId, its organizational
 * unit the {@link Role}.
 */
public record PeerIdentity(String peerId, Role role) {

    public PeerIdentity {
        Objects.requireNonNull(peerId, "peerId");
        Objects.requireNonNull(role, "role");
    }

    /** The subject a certificate for this identity carries. */
    public String subject(String mesh) {
        return "CN=" + Rdn.escapeValue(peerId) + ",OU=" + role.label() + ",O=" + Rdn.escapeValue("P3 mesh " + mesh);
    }

    /**
     * Reads who a certificate names. Says nothing about whether to trust it: that is
     * {@link MeshTrust#verify}'s.
     *
     * @throws CertificateException when the subject has no single CN or no valid role
     */
    public static PeerIdentity of(X509Certificate certificate) throws CertificateException {
        String cn = null;
        String ou = null;
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                String type = rdn.getType();
                if (type.equalsIgnoreCase("CN")) {
                    cn = single(cn, rdn, "CN");
                } else if (type.equalsIgnoreCase("OU")) {
                    ou = single(ou, rdn, "OU");
                }
            }
        } catch (InvalidNameException e) {
            throw new CertificateException("unreadable subject: " + certificate.getSubjectX500Principal(), e);
        }
        if (cn == null || cn.isEmpty() || ou == null) {
            throw new CertificateException("the subject names no peer (CN) or role (OU): "
                    + certificate.getSubjectX500Principal());
        }
        try {
            return new PeerIdentity(cn, Role.parse(ou));
        } catch (IllegalArgumentException e) {
            throw new CertificateException(e.getMessage(), e);
        }
    }

    private static String single(String seen, Rdn rdn, String type) throws CertificateException {
        if (seen != null) {
            throw new CertificateException("the subject has two " + type + "s");
        }
        return String.valueOf(rdn.getValue());
    }

    @Override
    public String toString() {
        return peerId + " (" + role.label() + ")";
    }
}
