package dev.runnel.ingester.grpc;

import dev.runnel.proto.ingester.v1.IngesterQueryMethods;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Takes the tenant from a call's {@code x-scope-orgid} header into the call's context; refuses a
 * call without one as UNAUTHENTICATED, as Mimir does.
 */
final class Tenants implements ServerInterceptor {

    private static final Context.Key<String> TENANT = Context.key("runnel-tenant");

    /** The tenant of the call running on this thread. */
    static String current() {
        return TENANT.get();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String tenant = headers.get(IngesterQueryMethods.TENANT_HEADER);
        if (tenant == null || tenant.isEmpty()) {
            call.close(Status.UNAUTHENTICATED.withDescription(
                    "no tenant: set the gRPC metadata header " + IngesterQueryMethods.TENANT_HEADER.name()), new Metadata());
            return new ServerCall.Listener<>() { };
        }
        return Contexts.interceptCall(Context.current().withValue(TENANT, tenant), call, headers, next);
    }
}
