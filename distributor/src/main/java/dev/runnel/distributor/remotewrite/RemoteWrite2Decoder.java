package dev.runnel.distributor.remotewrite;

import static dev.runnel.distributor.remotewrite.ProtoReader.LENGTH_DELIMITED;
import static dev.runnel.distributor.remotewrite.ProtoReader.VARINT;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.runnel.distributor.write.Exemplar;
import dev.runnel.distributor.write.MetricMetadata;
import dev.runnel.distributor.write.WriteBatch;
import dev.runnel.distributor.write.WriteBatchBuilder;
import dev.runnel.proto.prometheus.write.v2.Histogram;
import dev.runnel.proto.prometheus.write.v2.Metadata;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decodes a remote write 2.0 {@code io.prometheus.write.v2.Request} into a {@link WriteBatch}.
 * Symbols are byte ranges of the request, and labels point at them, so nothing is copied per
 * label. The symbols are read in a first pass, as a sender may put them after the series.
 * Series metadata becomes the batch's metric-family metadata, once per family.
 */
public final class RemoteWrite2Decoder {

    private static final int REQUEST_SYMBOLS = 4;
    private static final int REQUEST_TIMESERIES = 5;

    private final byte[] body;
    private int[] symbolOffset = new int[64];
    private int[] symbolLength = new int[64];
    private int symbolCount;
    private final Set<String> familiesWithMetadata = new HashSet<>();

    private RemoteWrite2Decoder(byte[] body) {
        this.body = body;
    }

    /** @throws InvalidProtocolBufferException if {@code body} is not a valid Request or refers to a missing symbol */
    public static WriteBatch decode(byte[] body) throws InvalidProtocolBufferException {
        return new RemoteWrite2Decoder(body).decode();
    }

    private WriteBatch decode() throws InvalidProtocolBufferException {
        ProtoReader in = new ProtoReader(body);
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == ((REQUEST_SYMBOLS << 3) | LENGTH_DELIMITED)) {
                int length = in.readLength();
                addSymbol(in.position(), length);
                in.skip(length);
            } else {
                in.skipField(tag);
            }
        }
        WriteBatchBuilder batch = WriteBatch.builder(body);
        in = new ProtoReader(body);
        while ((tag = in.readTag()) != 0) {
            if (tag == ((REQUEST_TIMESERIES << 3) | LENGTH_DELIMITED)) {
                int outer = in.pushLimit();
                readSeries(in, batch);
                in.popLimit(outer);
            } else {
                in.skipField(tag);
            }
        }
        return batch.build();
    }

    private void addSymbol(int offset, int length) {
        if (symbolCount == symbolOffset.length) {
            symbolOffset = Arrays.copyOf(symbolOffset, symbolCount * 2);
            symbolLength = Arrays.copyOf(symbolLength, symbolCount * 2);
        }
        symbolOffset[symbolCount] = offset;
        symbolLength[symbolCount] = length;
        symbolCount++;
    }

    private void readSeries(ProtoReader in, WriteBatchBuilder batch) throws InvalidProtocolBufferException {
        batch.startSeries();
        Metadata metadata = null;
        int pendingName = -1;
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (tag) {
                case (1 << 3) | VARINT -> pendingName = label(batch, pendingName, in.readVarint32());
                case (1 << 3) | LENGTH_DELIMITED -> {
                    int outer = in.pushLimit();
                    while (!in.atEnd()) {
                        pendingName = label(batch, pendingName, in.readVarint32());
                    }
                    in.popLimit(outer);
                }
                case (2 << 3) | LENGTH_DELIMITED -> {
                    int outer = in.pushLimit();
                    Wire.readSample(in, batch);
                    in.popLimit(outer);
                }
                case (3 << 3) | LENGTH_DELIMITED -> batch.histogram(in.readMessage(Histogram.parser()));
                case (4 << 3) | LENGTH_DELIMITED ->
                        batch.exemplar(exemplar(in.readMessage(dev.runnel.proto.prometheus.write.v2.Exemplar.parser())));
                case (5 << 3) | LENGTH_DELIMITED -> metadata = in.readMessage(Metadata.parser());
                case (6 << 3) | VARINT -> batch.createdTimestamp(in.readVarint64());
                default -> in.skipField(tag);
            }
        }
        if (pendingName >= 0) {
            throw new InvalidProtocolBufferException("labels_refs has an odd number of entries");
        }
        batch.endSeries();
        if (metadata != null) {
            addMetadata(batch, metadata);
        }
    }

    /** Adds a label once both its name and value references are read; returns the name still waiting, or -1. */
    private int label(WriteBatchBuilder batch, int pendingName, int ref) throws InvalidProtocolBufferException {
        checkRef(ref);
        if (pendingName < 0) {
            return ref;
        }
        batch.label(symbolOffset[pendingName], symbolLength[pendingName], symbolOffset[ref], symbolLength[ref]);
        return -1;
    }

    private void checkRef(int ref) throws InvalidProtocolBufferException {
        if (ref < 0 || ref >= symbolCount) {
            throw new InvalidProtocolBufferException("symbol reference " + Integer.toUnsignedString(ref)
                    + " is out of range: the request has " + symbolCount + " symbols");
        }
    }

    private String symbol(int ref) throws InvalidProtocolBufferException {
        checkRef(ref);
        return new String(body, symbolOffset[ref], symbolLength[ref], StandardCharsets.UTF_8);
    }

    private Exemplar exemplar(dev.runnel.proto.prometheus.write.v2.Exemplar e) throws InvalidProtocolBufferException {
        if (e.getLabelsRefsCount() % 2 != 0) {
            throw new InvalidProtocolBufferException("exemplar labels_refs has an odd number of entries");
        }
        List<String> labels = new ArrayList<>(e.getLabelsRefsCount());
        for (int ref : e.getLabelsRefsList()) {
            labels.add(symbol(ref));
        }
        return new Exemplar(labels, e.getValue(), e.getTimestamp());
    }

    private void addMetadata(WriteBatchBuilder batch, Metadata m) throws InvalidProtocolBufferException {
        String help = symbol(m.getHelpRef());
        String unit = symbol(m.getUnitRef());
        if (m.getTypeValue() == 0 && help.isEmpty() && unit.isEmpty()) {
            return;
        }
        String family = batch.lastSeriesLabel("__name__");
        if (familiesWithMetadata.add(family)) {
            batch.metadata(new MetricMetadata(family, MetricMetadata.Type.forNumber(m.getTypeValue()), help, unit));
        }
    }
}
