package dev.runnel.log.agent;

import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.RequestHeader;

/** A response body to send for {@code request}, written at {@code version}. */
record KafkaResponse(RequestHeader request, ApiMessage body, short version) {
}
