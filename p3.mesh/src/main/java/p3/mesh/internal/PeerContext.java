package p3.mesh.internal;

/**
 * What every part of a peer shares: who it is and how it is set, its strand and its time, the
 * codec of control messages, where it stands, the routing table it publishes, and its counters.
 *
 * @param self     this peer's PeerId
 * @param settings its settings, checked once
 * @param strand   the serial executor that owns its state
 * @param time     its clock and timers, whose tasks run on the strand
 * @param codec    bytes of control messages
 * @param status   where it stands in its life
 * @param routing  Listing 4, and the table the strand publishes for the data path
 * @param metrics  what it counts
 */
record PeerContext(String self, MeshSettings settings, Strand strand, Scheduler time, ControlCodec codec,
        PeerStatus status, Routing routing, PeerMetrics metrics) {
}
