package dev.runnel.log.agent;

import dev.runnel.log.metadata.MetadataStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

/**
 * Hands idempotent producers their id and epoch. A producer that asks to resume its id (v3+,
 * after an error that needs an epoch bump) keeps the id with the next epoch; once the epoch
 * would overflow it gets a new id. Transactional producers are refused: there are no
 * transactions.
 */
final class InitProducerIdHandler {
    private final MetadataStore metadata;
    private final Executor metadataExecutor;

    InitProducerIdHandler(MetadataStore metadata, Executor metadataExecutor) {
        this.metadata = metadata;
        this.metadataExecutor = metadataExecutor;
    }

    CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage message) {
        InitProducerIdRequestData request = (InitProducerIdRequestData) message;
        if (request.transactionalId() != null) {
            return CompletableFuture.completedFuture(new InitProducerIdResponseData()
                    .setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code())
                    .setProducerId(-1).setProducerEpoch((short) -1));
        }
        return CompletableFuture.supplyAsync(() -> {
            InitProducerIdResponseData response = new InitProducerIdResponseData();
            if (request.producerId() >= 0 && request.producerEpoch() >= 0 && request.producerEpoch() < Short.MAX_VALUE - 1) {
                return response.setProducerId(request.producerId()).setProducerEpoch((short) (request.producerEpoch() + 1));
            }
            return response.setProducerId(metadata.allocateProducerId()).setProducerEpoch((short) 0);
        }, metadataExecutor);
    }
}
