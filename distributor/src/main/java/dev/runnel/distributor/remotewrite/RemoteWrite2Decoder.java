package dev.runnel.distributor.remotewrite;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.runnel.distributor.write.Exemplar;
import dev.runnel.distributor.write.MetricMetadata;
import dev.runnel.distributor.write.WriteBatch;
import dev.runnel.distributor.write.WriteBatchBuilder;
import dev.runnel.proto.prometheus.write.v2.Histogram;
import dev.runnel.proto.prometheus.write.v2.Metadata;
import java.io.IOException;
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
        try {
            return new RemoteWrite2Decoder(body).decode();
        } catch (InvalidProtocolBufferException e) {
            throw e;
        } catch (IOException e) {
            throw new InvalidProtocolBufferException(e);
        }
    }

    private WriteBatch decode() throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(body);
        int tag;
        while ((tag = in.readTag()) != 0) {
            if (tag == ((REQUEST_SYMBOLS << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                int length = in.readRawVarint32();
                addSymbol(Wire.skipString(in, length), length);
            } else {
                in.skipField(tag);
            }
        }
        WriteBatchBuilder batch = WriteBatch.builder(body);
        in = CodedInputStream.newInstance(body);
        while ((tag = in.readTag()) != 0) {
            if (tag == ((REQUEST_TIMESERIES << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
                int limit = in.pushLimit(in.readRawVarint32());
                readSeries(in, batch);
                in.popLimit(limit);
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

    private void readSeries(CodedInputStream in, WriteBatchBuilder batch) throws IOException {
        batch.startSeries();
        Metadata metadata = null;
        int pendingName = -1;
        int tag;
        while ((tag = in.readTag()) != 0) {
            switch (tag) {
                case (1 << 3) | WireFormat.WIRETYPE_VARINT -> pendingName = label(batch, pendingName, in.readUInt32());
                case (1 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> {
                    int limit = in.pushLimit(in.readRawVarint32());
                    while (in.getBytesUntilLimit() > 0) {
                        pendingName = label(batch, pendingName, in.readUInt32());
                    }
                    in.popLimit(limit);
                }
                case (2 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> {
                    int limit = in.pushLimit(in.readRawVarint32());
                    Wire.readSample(in, batch);
                    in.popLimit(limit);
                }
                case (3 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> batch.histogram(Histogram.parseFrom(in.readBytes()));
                case (4 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED ->
                        batch.exemplar(exemplar(dev.runnel.proto.prometheus.write.v2.Exemplar.parseFrom(in.readBytes())));
                case (5 << 3) | WireFormat.WIRETYPE_LENGTH_DELIMITED -> metadata = Metadata.parseFrom(in.readBytes());
                case (6 << 3) | WireFormat.WIRETYPE_VARINT -> batch.createdTimestamp(in.readInt64());
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
