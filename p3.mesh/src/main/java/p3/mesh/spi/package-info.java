/** What traffic services implement: a class of data, its profile, and its payloads. */
@Export
@Version("1.0.0")
package p3.mesh.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
