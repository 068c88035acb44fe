package dev.runnel.ingester.grpc;

import dev.runnel.ingester.head.Heads;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gRPC server (Netty) answering {@link IngesterQueryService} calls, with the query metrics. One per
 * process: it serves the partitions of all the process' ingesters ({@link ServedPartitions}).
 */
public final class IngesterGrpcServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IngesterGrpcServer.class);

    private final Server server;

    private IngesterGrpcServer(Server server) {
        this.server = server;
    }

    /** Starts serving one set of heads, whatever partition a call names, on {@code host:port} (port 0: any free port, see {@link #port()}). */
    public static IngesterGrpcServer start(String host, int port, Heads heads, ConsistencyWaiter waiter) throws IOException {
        return start(host, port, ServedPartitions.single(heads, waiter));
    }

    /** Starts serving the partitions in {@code partitions} (added to it before or after) on {@code host:port}. */
    public static IngesterGrpcServer start(String host, int port, ServedPartitions partitions) throws IOException {
        return start(host, port, partitions, "");
    }

    /** As {@link #start(String, int, ServedPartitions)}, counting its traffic as zone {@code zone}'s ({@link CallerZoneTraffic}). */
    public static IngesterGrpcServer start(String host, int port, ServedPartitions partitions, String zone) throws IOException {
        return start(host, port, new IngesterQueryService(partitions), zone);
    }

    static IngesterGrpcServer start(String host, int port, IngesterQueryService service) throws IOException {
        return start(host, port, service, "");
    }

    private static IngesterGrpcServer start(String host, int port, IngesterQueryService service, String zone) throws IOException {
        // Interceptors run last-listed first: the metrics see every call, refused ones too.
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
                .addStreamTracerFactory(new CallerZoneTraffic(zone))
                .addService(ServerInterceptors.intercept(service.definition(), new Tenants(), QueryMetrics.INSTANCE))
                .build()
                .start();
        log.info("Ingester query service listening on {}:{}", host, server.getPort());
        return new IngesterGrpcServer(server);
    }

    public int port() {
        return server.getPort();
    }

    /** Stops taking calls, gives running ones 5 seconds, then cancels them. */
    @Override
    public void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
