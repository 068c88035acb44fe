package dev.runnel.benchmarks.jmh;

import dev.runnel.distributor.record.IngestRecordEncoder;
import dev.runnel.distributor.remotewrite.RemoteWrite1Decoder;
import dev.runnel.distributor.sharding.SeriesHash;
import dev.runnel.distributor.write.WriteBatch;
import java.util.Arrays;
import java.util.List;
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
 * shard by series hash, encode one record per partition. The score is samples per second
 * (one operation = one sample). Run: {@code bin/jmh DistributorPush}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DistributorPushBenchmark {

    private static final int SAMPLES = 2_000;

    @Param({"16"})
    int partitions;

    private byte[][] requests;
    private int next;
    private IngestRecordEncoder encoder;
    private int[][] shards;
    private int[] shardSizes;

    @Setup
    public void setUp() {
        requests = new byte[8][];
        for (int i = 0; i < requests.length; i++) {
            requests[i] = RemoteWriteRequests.request(SAMPLES, i, 1_700_000_000_000L);
        }
        encoder = new IngestRecordEncoder(1 << 20);
        shards = new int[partitions][SAMPLES];
        shardSizes = new int[partitions];
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public void decodeShardEncode(Blackhole sink) throws Exception {
        byte[] body = requests[next++ & 7];
        WriteBatch batch = RemoteWrite1Decoder.decode(body);
        Arrays.fill(shardSizes, 0);
        for (int s = 0; s < batch.seriesCount(); s++) {
            int p = Integer.remainderUnsigned(SeriesHash.of("tenant-1", batch, s), partitions);
            shards[p][shardSizes[p]++] = s;
        }
        for (int p = 0; p < partitions; p++) {
            if (shardSizes[p] > 0) {
                sink.consume(encoder.encode(batch, shards[p], shardSizes[p], List.of()));
            }
        }
    }
}
