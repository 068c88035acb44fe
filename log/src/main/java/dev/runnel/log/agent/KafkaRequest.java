package dev.runnel.log.agent;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.RequestHeader;

/** A decoded request: its header and its body, read at the header's version. */
record KafkaRequest(RequestHeader header, ApiMessage body) {
    ApiKeys apiKey() {
        return header.apiKey();
    }

    short version() {
        return header.apiVersion();
    }
}
