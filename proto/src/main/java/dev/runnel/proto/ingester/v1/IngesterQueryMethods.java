package dev.runnel.proto.ingester.v1;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.protobuf.ProtoUtils;

/**
 * The ingester's query service ({@code runnel.ingester.v1.IngesterQuery}, see ingester/QUERY-API.md)
 * written out by hand, since protoc-gen-grpc-java is not available: the method descriptors the
 * server and the client share.
 */
public final class IngesterQueryMethods {

    public static final String SERVICE_NAME = "runnel.ingester.v1.IngesterQuery";

    /** The gRPC metadata header naming the tenant whose data a call reads (Mimir's X-Scope-OrgID). */
    public static final Metadata.Key<String> TENANT_HEADER = Metadata.Key.of("x-scope-orgid", Metadata.ASCII_STRING_MARSHALLER);

    /** The gRPC metadata header naming the caller's availability zone, so the ingester can count cross-zone bytes. */
    public static final Metadata.Key<String> ZONE_HEADER = Metadata.Key.of("x-runnel-zone", Metadata.ASCII_STRING_MARSHALLER);

    public static final MethodDescriptor<SelectRequest, SelectResponse> SELECT =
            method("Select", MethodType.SERVER_STREAMING, SelectRequest.getDefaultInstance(), SelectResponse.getDefaultInstance());

    public static final MethodDescriptor<LabelNamesRequest, LabelNamesResponse> LABEL_NAMES =
            method("LabelNames", MethodType.UNARY, LabelNamesRequest.getDefaultInstance(), LabelNamesResponse.getDefaultInstance());

    public static final MethodDescriptor<LabelValuesRequest, LabelValuesResponse> LABEL_VALUES =
            method("LabelValues", MethodType.UNARY, LabelValuesRequest.getDefaultInstance(), LabelValuesResponse.getDefaultInstance());

    public static final MethodDescriptor<MetadataRequest, MetadataResponse> METADATA =
            method("Metadata", MethodType.UNARY, MetadataRequest.getDefaultInstance(), MetadataResponse.getDefaultInstance());

    private IngesterQueryMethods() {
    }

    private static <Q extends com.google.protobuf.Message, R extends com.google.protobuf.Message> MethodDescriptor<Q, R> method(
            String name, MethodType type, Q request, R response) {
        return MethodDescriptor.<Q, R>newBuilder()
                .setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE_NAME, name))
                .setRequestMarshaller(ProtoUtils.marshaller(request))
                .setResponseMarshaller(ProtoUtils.marshaller(response))
                .setSampledToLocalTracing(true)
                .build();
    }
}
