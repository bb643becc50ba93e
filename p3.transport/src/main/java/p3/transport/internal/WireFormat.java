package p3.transport.internal;

/**
 * The link wire format, version 1. Every frame is:
 *
 * <pre>
 * +--------+-------+-----+------+-------+-------+----------+-----------+------+------+------+------+---------+
 * | length | magic | ver | type | class | flags | sequence | sendNanos | sPeer| sCell| tPeer| tCell| payload |
 * |   4    |   2   |  1  |  1   |   1   |   1   |    8     |     8     | 1+n  | 1+n  | 1+n  | 1+n  |  rest   |
 * +--------+-------+-----+------+-------+-------+----------+-----------+------+------+------+------+---------+
 * </pre>
 *
 * {@code length} counts the bytes after itself; identifiers are a length byte and UTF-8. Big-endian.
 */
final class WireFormat {

    static final int MAGIC = 0x5033; // "P3"
    static final int VERSION = 1;
    static final int LENGTH_FIELD = 4;
    /** Header after the length field, with four empty identifiers. */
    static final int MIN_HEADER = 2 + 1 + 1 + 1 + 1 + 8 + 8 + 4;

    private WireFormat() {
    }
}
