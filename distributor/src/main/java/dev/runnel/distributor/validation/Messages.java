package dev.runnel.distributor.validation;

import dev.runnel.distributor.write.WriteBatch;

/** Pieces of error messages: quoted, shortened values and series, so one huge label cannot make a huge response. */
final class Messages {

    /** Longest quoted value or series description in a message, in characters. */
    static final int MAX_CHARS = 200;

    private Messages() {
    }

    static String quote(String value) {
        return '"' + shorten(value) + '"';
    }

    static String series(WriteBatch batch, int series) {
        return shorten(batch.describe(series));
    }

    static String shorten(String s) {
        return s.length() <= MAX_CHARS ? s : s.substring(0, MAX_CHARS) + "…";
    }
}
