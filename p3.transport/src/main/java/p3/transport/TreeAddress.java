package p3.transport;

import java.net.InetSocketAddress;

/**
 * The addressing routine of the report (section III-B-4): a cell's address is the base address
 * with the port moved by the cell's breadth-first position in the tree.
 *
 * <p>The report prints {@code tree_pos} as a formula that gives 1006 for its own worked example;
 * the example (span 2, cell {@code 011}, base port 1000 gives 1003: root 0, {@code 01} 1,
 * {@code 02} 2, {@code 011} 3) is what this follows.
 */
public final class TreeAddress {

    /** Digits below the root: the report's CellId is a 32-byte string. */
    public static final int MAX_DEPTH = 31;

    private TreeAddress() {
    }

    /**
     * The breadth-first index of a cell: the number of cells in all levels above it plus its offset
     * within its level, digits counted from 1.
     *
     * @throws IllegalArgumentException when {@code cellId} is not a cell of a tree of that span
     */
    public static long treePos(String cellId, int span) {
        checkCell(cellId, span);
        int depth = cellId.length() - 1;
        long above = 0;
        long levelSize = 1;
        for (int level = 0; level < depth; level++) {
            above = Math.addExact(above, levelSize);
            levelSize = Math.multiplyExact(levelSize, span);
        }
        long offset = 0;
        for (int i = 1; i <= depth; i++) {
            offset = Math.addExact(Math.multiplyExact(offset, span), cellId.charAt(i) - '1');
        }
        return Math.addExact(above, offset);
    }

    /**
     * {@code tree_pos_address(ip, port, cellid, span)}.
     *
     * @throws IllegalArgumentException when the cell is invalid or its port would pass 65535
     */
    public static InetSocketAddress of(InetSocketAddress base, String cellId, int span) {
        long port = base.getPort() + treePos(cellId, span);
        if (port > 65535) {
            throw new IllegalArgumentException("cell " + cellId + " with span " + span + " needs port " + port
                    + " above base " + base + ": use a lower base port or a smaller tree");
        }
        return new InetSocketAddress(base.getAddress(), (int) port);
    }

    /**
     * Checks the form of a CellId: {@code 0} then one digit in 1..span per level.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static void checkCell(String cellId, int span) {
        if (span < 1 || span > 9) {
            throw new IllegalArgumentException("span must be within 1..9: " + span);
        }
        if (cellId == null || cellId.isEmpty() || cellId.charAt(0) != '0') {
            throw new IllegalArgumentException("a CellId starts with the root 0: " + cellId);
        }
        if (cellId.length() - 1 > MAX_DEPTH) {
            throw new IllegalArgumentException("a CellId has at most " + MAX_DEPTH + " levels below the root: " + cellId);
        }
        for (int i = 1; i < cellId.length(); i++) {
            int digit = cellId.charAt(i) - '0';
            if (digit < 1 || digit > span) {
                throw new IllegalArgumentException("digit " + cellId.charAt(i) + " of CellId " + cellId
                        + " is not within 1.." + span);
            }
        }
    }
}
