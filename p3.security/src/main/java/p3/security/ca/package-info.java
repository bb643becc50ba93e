/**
 * A mesh's certificate authority, outside OSGi too: for the CA tool, the bench (one CA for all its
 * peers) and tests.
 */
@Export
@Version("1.0.0")
package p3.security.ca;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
