/** The mesh API: identifiers, peer roles, QoS, and the running peers of a runtime. */
@Export
@Version("1.5.0")
package p3.mesh;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
