/**
 * Who a peer is and how the mesh knows it: each peer holds a key and a certificate from the mesh's
 * certificate authority naming its PeerId and its {@link p3.security.Role}; every channel (links,
 * cells, discovery, steering orders) checks what the other side presents against the mesh's
 * {@link p3.security.MeshTrust}. A runtime finds its peers' credentials in the {@link p3.security.Keyring}.
 */
@Export
@Version("1.0.0")
package p3.security;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
