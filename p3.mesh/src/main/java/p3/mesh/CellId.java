package p3.mesh;

import p3.transport.TreeAddress;

/**
 * The position of a cell in the tree: root {@code 0}, its children {@code 01..0k}, theirs
 * {@code 011..01k}, one digit (1..span) per level below the root.
 */
public final class CellId implements Comparable<CellId> {

    public static final CellId ROOT = new CellId("0");

    private final String id;

    private CellId(String id) {
        this.id = id;
    }

    /**
     * @throws IllegalArgumentException when {@code id} is not a cell of a tree of that span
     */
    public static CellId of(String id, int span) {
        TreeAddress.checkCell(id, span);
        return id.equals("0") ? ROOT : new CellId(id);
    }

    public boolean isRoot() {
        return id.length() == 1;
    }

    /** Levels below the root: 0 for the root. */
    public int depth() {
        return id.length() - 1;
    }

    /** @throws IllegalStateException for the root */
    public CellId parent() {
        if (isRoot()) {
            throw new IllegalStateException("the root cell has no parent");
        }
        String p = id.substring(0, id.length() - 1);
        return p.equals("0") ? ROOT : new CellId(p);
    }

    /** The child cell with that digit (1..span). */
    public CellId child(int digit) {
        if (digit < 1 || digit > 9) {
            throw new IllegalArgumentException("digit must be within 1..9: " + digit);
        }
        return new CellId(id + digit);
    }

    /** Whether {@code other} is this cell or below it. */
    public boolean contains(CellId other) {
        return other.id.startsWith(id);
    }

    /** The child of this cell on the way down to {@code descendant}, which must be strictly below. */
    public CellId childToward(CellId descendant) {
        if (!contains(descendant) || descendant.equals(this)) {
            throw new IllegalArgumentException(descendant + " is not below " + this);
        }
        return new CellId(descendant.id.substring(0, id.length() + 1));
    }

    @Override
    public String toString() {
        return id;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CellId c && c.id.equals(id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    /** Breadth-first order: shallower cells first, then by digits. */
    @Override
    public int compareTo(CellId o) {
        int byDepth = Integer.compare(id.length(), o.id.length());
        return byDepth != 0 ? byDepth : id.compareTo(o.id);
    }
}
