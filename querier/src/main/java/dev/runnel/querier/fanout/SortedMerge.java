package dev.runnel.querier.fanout;

import dev.runnel.querier.promql.model.Series;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/** A k-way merge of label-sorted series lists into one label-sorted list. */
final class SortedMerge {

    private SortedMerge() {
    }

    /** The series of every list, sorted by labels; each list must be sorted by labels. */
    static List<Series> series(List<List<Series>> sortedLists) {
        int total = 0;
        PriorityQueue<Cursor> heads = new PriorityQueue<>((a, b) -> a.current().labels().compareTo(b.current().labels()));
        for (List<Series> list : sortedLists) {
            total += list.size();
            if (!list.isEmpty()) {
                heads.add(new Cursor(list));
            }
        }
        if (heads.size() == 1) {
            return heads.peek().list;
        }
        List<Series> out = new ArrayList<>(total);
        while (!heads.isEmpty()) {
            Cursor c = heads.poll();
            out.add(c.current());
            if (++c.next < c.list.size()) {
                heads.add(c);
            }
        }
        return out;
    }

    private static final class Cursor {
        final List<Series> list;
        int next;

        Cursor(List<Series> list) {
            this.list = list;
        }

        Series current() {
            return list.get(next);
        }
    }
}
