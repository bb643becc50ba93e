/**
 * What traffic services and fault-tolerance strategies implement: a class of data with its profile
 * and payloads; a strategy replicating the pending store of FT messages and taking over after a
 * failure.
 */
@Export
@Version("2.0.0")
package p3.mesh.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
