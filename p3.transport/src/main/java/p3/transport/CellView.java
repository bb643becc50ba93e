package p3.transport;

import java.util.List;

/**
 * A view of a cell group.
 *
 * @param id      increases with every view
 * @param members oldest first
 * @param joined  members new in this view
 * @param left    members of the previous view that are gone, having left or failed
 */
public record CellView(long id, List<String> members, List<String> joined, List<String> left) {
    public CellView {
        members = List.copyOf(members);
        joined = List.copyOf(joined);
        left = List.copyOf(left);
    }
}
