package dev.runnel.distributor;

import dev.runnel.proto.prometheus.Label;
import dev.runnel.proto.prometheus.TimeSeries;
import dev.runnel.proto.prometheus.WriteRequest;
import dev.runnel.proto.prometheus.write.v2.Request;
import dev.runnel.proto.prometheus.write.v2.Sample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Remote-write requests built with the generated classes, and readers of the records they become. */
public final class TestRequests {

    private TestRequests() {
    }

    /** A 1.0 series with the labels {@code name, value, name, value...} and samples {@code ts, value, ts, value...}. */
    public static TimeSeries series(List<String> labels, double... timestampsAndValues) {
        TimeSeries.Builder s = TimeSeries.newBuilder();
        for (int i = 0; i < labels.size(); i += 2) {
            s.addLabels(Label.newBuilder().setName(labels.get(i)).setValue(labels.get(i + 1)));
        }
        for (int i = 0; i < timestampsAndValues.length; i += 2) {
            s.addSamples(Sample.newBuilder().setTimestamp((long) timestampsAndValues[i]).setValue(timestampsAndValues[i + 1]));
        }
        return s.build();
    }

    public static WriteRequest rw1(TimeSeries... series) {
        return WriteRequest.newBuilder().addAllTimeseries(List.of(series)).build();
    }

    /** A 2.0 request holding the same series as {@code rw1}, with its own symbol table. */
    public static Request rw2(WriteRequest rw1) {
        Map<String, Integer> symbols = new LinkedHashMap<>();
        symbols.put("", 0);
        Request.Builder out = Request.newBuilder();
        for (TimeSeries s : rw1.getTimeseriesList()) {
            dev.runnel.proto.prometheus.write.v2.TimeSeries.Builder t = dev.runnel.proto.prometheus.write.v2.TimeSeries.newBuilder();
            for (Label l : s.getLabelsList()) {
                t.addLabelsRefs(symbols.computeIfAbsent(l.getName(), k -> symbols.size()));
                t.addLabelsRefs(symbols.computeIfAbsent(l.getValue(), k -> symbols.size()));
            }
            t.addAllSamples(s.getSamplesList());
            out.addTimeseries(t);
        }
        return out.addAllSymbols(symbols.keySet()).build();
    }

    /** A series as read back: its sorted labels and its samples as raw double bits, for exact comparison. */
    public record ReadSeries(Map<String, String> labels, List<Long> timestamps, List<Long> valueBits) {
    }

    public static ReadSeries read(Request record, int series) {
        dev.runnel.proto.prometheus.write.v2.TimeSeries t = record.getTimeseries(series);
        Map<String, String> labels = new TreeMap<>();
        for (int i = 0; i < t.getLabelsRefsCount(); i += 2) {
            labels.put(record.getSymbols(t.getLabelsRefs(i)), record.getSymbols(t.getLabelsRefs(i + 1)));
        }
        List<Long> timestamps = new ArrayList<>();
        List<Long> bits = new ArrayList<>();
        for (Sample s : t.getSamplesList()) {
            timestamps.add(s.getTimestamp());
            bits.add(Double.doubleToRawLongBits(s.getValue()));
        }
        return new ReadSeries(labels, timestamps, bits);
    }

    public static ReadSeries expected(TimeSeries s) {
        Map<String, String> labels = new TreeMap<>();
        s.getLabelsList().forEach(l -> labels.put(l.getName(), l.getValue()));
        List<Long> timestamps = new ArrayList<>();
        List<Long> bits = new ArrayList<>();
        for (Sample sample : s.getSamplesList()) {
            timestamps.add(sample.getTimestamp());
            bits.add(Double.doubleToRawLongBits(sample.getValue()));
        }
        return new ReadSeries(labels, timestamps, bits);
    }

    /** Every series of every record. */
    public static List<ReadSeries> readAll(List<Request> records) {
        List<ReadSeries> out = new ArrayList<>();
        for (Request r : records) {
            for (int s = 0; s < r.getTimeseriesCount(); s++) {
                if (r.getTimeseries(s).getSamplesCount() > 0) {
                    out.add(read(r, s));
                }
            }
        }
        return out;
    }
}
