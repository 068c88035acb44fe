package dev.runnel.log.segment;

/** Constants of the segment object layout (see {@code log/FORMAT.md}). */
final class SegmentFormat {
    /** "RNLS": Runnel log segment. */
    static final int MAGIC = 0x524E4C53;
    static final short VERSION = 1;
    /** magic(4) version(2) flags(2) created_ms(8). */
    static final int HEADER_SIZE = 16;
    /** index_position(8) index_length(4) index_crc32c(4) version(2) flags(2) magic(4). */
    static final int FOOTER_SIZE = 24;

    private SegmentFormat() {
    }

    /** topic_length(2) topic partition(4) position(4) size(4) batch_count(4) offset_count(8) max_timestamp(8) crc32c(4). */
    static int indexEntrySize(int topicBytes) {
        return 2 + topicBytes + 4 + 4 + 4 + 4 + 8 + 8 + 4;
    }
}
