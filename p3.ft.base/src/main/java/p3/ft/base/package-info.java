/**
 * Strategy logic that the fault-tolerance bundles share: the report's recovery (Listing 8) and
 * checkpoints. Not exported and not an SPI: each {@code p3.ft.*} bundle inlines a private copy of
 * this package ({@code -conditionalpackage} in its {@code bnd.bnd}), so a fix here changes no
 * package version of {@code p3.mesh}.
 */
package p3.ft.base;
