package dev.runnel.log.agent;

import java.net.InetSocketAddress;
import org.apache.kafka.common.requests.RequestHeader;

/** Who sent a request and at which version. */
record RequestContext(RequestHeader header, InetSocketAddress clientAddress) {
    short version() {
        return header.apiVersion();
    }

    String clientId() {
        return header.clientId() == null ? "" : header.clientId();
    }

    String clientHost() {
        return clientAddress == null ? "" : "/" + clientAddress.getAddress().getHostAddress();
    }
}
