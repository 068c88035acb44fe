package dev.runnel.benchmarks.jmh;

import dev.runnel.distributor.limits.Limits;
import dev.runnel.distributor.limits.TenantLimits;
import dev.runnel.distributor.push.DiscardCounters;
import dev.runnel.distributor.push.PushVerdict;
import dev.runnel.distributor.record.IngestRecordEncoder;
import dev.runnel.distributor.remotewrite.RemoteWrite1Decoder;
import dev.runnel.distributor.sharding.RingPartitionSelector;
import dev.runnel.distributor.sharding.Sharder;
import dev.runnel.distributor.validation.ValidationStage;
import dev.runnel.distributor.write.WriteBatch;
import dev.runnel.ring.Partition;
import dev.runnel.ring.PartitionRing;
import dev.runnel.ring.PartitionState;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.stream.IntStream;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The distributor's CPU work per remote-write request of 2,000 samples, on one thread: decode,
 * validate with the default limits, shard over the ACTIVE partitions of a partition ring, encode
 * one record per partition. The score is samples per second (one operation = one sample).
 * Run: {@code bin/jmh DistributorPush}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DistributorPushBenchmark {

    private static final int SAMPLES = 2_000;
    private static final String TENANT = "tenant-1";
    private static final long NOW = 1_700_000_000_000L;

    @Param({"16"})
    int partitions;

    private byte[][] requests;
    private int next;
    private IngestRecordEncoder encoder;
    private ValidationStage validation;
    private Sharder sharder;

    @Setup
    public void setUp() {
        requests = new byte[8][];
        for (int i = 0; i < requests.length; i++) {
            requests[i] = RemoteWriteRequests.request(SAMPLES, i, NOW);
        }
        encoder = new IngestRecordEncoder(1 << 20);
        validation = new ValidationStage(TenantLimits.fixed(Limits.DEFAULTS), new DiscardCounters(new PrometheusRegistry()));
        PartitionRing ring = PartitionRing.of(IntStream.range(0, partitions)
                .mapToObj(id -> new Partition(id, PartitionState.ACTIVE, 0L, List.of())).toList());
        sharder = new Sharder(new RingPartitionSelector(() -> ring, tenant -> 0));
    }

    /** Decoding alone: the remote-write body into a batch whose labels point into the body. */
    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public void decode(Blackhole sink) throws Exception {
        WriteBatch batch = RemoteWrite1Decoder.decode(requests[next++ & 7]);
        sink.consume(batch);
        batch.release();
    }

    /** Decoding and validation with the default limits. */
    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public void decodeValidate(Blackhole sink) throws Exception {
        WriteBatch batch = decodeAndValidate();
        sink.consume(batch);
        batch.release();
    }

    /** Decoding, validation and sharding over the ring. */
    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public void decodeValidateShard(Blackhole sink) throws Exception {
        WriteBatch batch = decodeAndValidate();
        sharder.shard(TENANT, batch);
        sink.consume(sharder.partitions());
        batch.release();
    }

    /** The whole of the distributor's CPU work per request: also encoding one record per partition. */
    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public void decodeValidateShardEncode(Blackhole sink) throws Exception {
        WriteBatch batch = decodeAndValidate();
        sharder.shard(TENANT, batch);
        for (int i = 0; i < sharder.partitions(); i++) {
            sink.consume(encoder.encode(batch, sharder.series(i), sharder.seriesCount(i), sharder.metadata(i)));
        }
        batch.release();
    }

    /** Each benchmark releases its batch when done, as the push pipeline does, so that the next reuses its arrays. */
    private WriteBatch decodeAndValidate() throws Exception {
        WriteBatch batch = RemoteWrite1Decoder.decode(requests[next++ & 7]);
        if (validation.apply(TENANT, batch, NOW) != PushVerdict.ACCEPT) {
            throw new IllegalStateException("the benchmark's requests must be valid");
        }
        return batch;
    }
}
