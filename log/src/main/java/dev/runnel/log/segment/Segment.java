package dev.runnel.log.segment;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A built segment object.
 *
 * @param bytes          the whole object, ready to PUT
 * @param batchPositions where each added batch starts, indexed by the handle {@code add} returned
 * @param chunks         the object's index: one chunk per partition
 */
public record Segment(ByteBuffer bytes, int[] batchPositions, List<SegmentChunk> chunks) {
}
