package dev.runnel.loadgen.send;

import dev.runnel.loadgen.series.Batch;
import dev.runnel.loadgen.series.SeriesGenerator;
import dev.runnel.loadgen.wire.RequestEncoder;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * One remote-write shard, like one of Prometheus' queue shards: a thread with its own HTTP/1.1 client (its own
 * connection pool) sending one request at a time, retrying it per {@link RetryPolicy} until acknowledged, dropped
 * or the run ends. It cycles through its tenants' generators request by request.
 */
public final class Shard implements Runnable {
    private final Target target;
    private final List<SeriesGenerator> generators;
    private final int samplesPerRequest;
    private final Schedule schedule;
    private final RetryPolicy retryPolicy;
    private final Stats stats;
    private final Acknowledgements acks;
    private final long endNanos;
    private final HttpClient client;
    private final RequestEncoder encoder;
    private final Batch batch;

    public Shard(Target target, List<SeriesGenerator> generators, int samplesPerRequest, Schedule schedule,
                 RetryPolicy retryPolicy, Stats stats, Acknowledgements acks, long endNanos) {
        if (generators.isEmpty()) {
            throw new IllegalArgumentException("a shard needs at least one tenant's series");
        }
        this.target = target;
        this.generators = List.copyOf(generators);
        this.samplesPerRequest = samplesPerRequest;
        this.schedule = schedule;
        this.retryPolicy = retryPolicy;
        this.stats = stats;
        this.acks = acks;
        this.endNanos = endNanos;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(target.timeout())
                .build();
        this.encoder = target.protocol().newEncoder();
        this.batch = new Batch(samplesPerRequest);
    }

    @Override
    public void run() {
        // Java 17's HttpClient cannot be shut down; its daemon threads and connections go when it is collected.
        for (long k = 0; !Thread.currentThread().isInterrupted(); k++) {
            // Prepare first, then wait: at a fixed rate the request is ready at its intended start; in closed
            // loop the intended start is the send, so encoding never counts as the server's latency.
            SeriesGenerator generator = generators.get((int) (k % generators.size()));
            generator.next(samplesPerRequest, System.nanoTime(), batch);
            HttpRequest request = request(encoder.encode(batch), batch.tenant());
            long intended = schedule.next(System.nanoTime());
            if (intended >= endNanos || !sleepUntil(intended)) {
                return;
            }
            acks.sending(batch);
            send(intended, request);
        }
    }

    private HttpRequest request(byte[] body, int tenant) {
        return HttpRequest.newBuilder(target.url())
                .timeout(target.timeout())
                .header("Content-Encoding", "snappy")
                .header("Content-Type", target.protocol().contentType())
                .header("X-Prometheus-Remote-Write-Version", target.protocol().version())
                .header("User-Agent", target.userAgent())
                .header("X-Scope-OrgID", Target.tenantId(tenant))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    private void send(long intended, HttpRequest request) {
        for (int retry = 0; ; retry++) {
            if (retry > 0) {
                stats.retried();
                if (!sleepUntil(System.nanoTime() + retryPolicy.backoffNanos(retry))) {
                    stats.failed(batch.size());
                    return;
                }
            }
            long sent = System.nanoTime();
            int status;
            try {
                status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                stats.networkError();
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stats.failed(batch.size());
                return;
            }
            long answered = System.nanoTime();
            stats.answered(status, answered - sent);
            switch (retryPolicy.outcome(status)) {
                case SUCCESS -> {
                    stats.acked(batch.size(), answered - intended);
                    acks.acknowledged(batch);
                    return;
                }
                case DROP -> {
                    stats.dropped(batch.size());
                    return;
                }
                case RETRY -> {
                }
            }
        }
    }

    /**
     * Parks until {@code nanos}; false when the run has ended by then (so nothing new is sent after the end, not
     * even requests whose intended start is overdue) or the thread is interrupted.
     */
    private boolean sleepUntil(long nanos) {
        long now;
        while ((now = System.nanoTime()) < nanos && now < endNanos) {
            if (Thread.currentThread().isInterrupted()) {
                return false;
            }
            LockSupport.parkNanos(Math.min(nanos, endNanos) - now);
        }
        return now < endNanos && !Thread.currentThread().isInterrupted();
    }
}
