package p3.bench.transport;

/** The transports compared. */
enum Impl {
    P3("p3 link", P3LinkTarget::open),
    BARE("bare netty", BareNettyTarget::open);

    final String label;
    final BenchTarget.Opener opener;

    Impl(String label, BenchTarget.Opener opener) {
        this.label = label;
        this.opener = opener;
    }
}
