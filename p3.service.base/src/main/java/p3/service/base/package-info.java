/**
 * What the traffic service bundles share: synthetic frames at a profile's rate, each carrying its
 * sequence number and a CRC so that the client can tell an intact frame from a mangled one. Not
 * exported: each service bundle inlines this package privately ({@code -conditionalpackage}), so
 * that a change here never changes the mesh's SPI.
 */
package p3.service.base;
