/** The audit log of a runtime: who changed the mesh, what, when, and how it went. */
@Export
@Version("1.0.0")
package p3.mesh.audit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
