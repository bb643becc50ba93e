/**
 * The networking of the mesh: point-to-point links (one TCP connection per traffic class and peer
 * pair), cell groups (one group per cell) and discovery datagrams, without exposing Netty or JGroups.
 */
@Export
@Version("1.3.0")
package p3.transport;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
