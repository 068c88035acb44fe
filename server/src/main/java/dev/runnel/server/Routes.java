package dev.runnel.server;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The paths a process serves and the handler of each; components add theirs at start-up. */
public final class Routes {
    private final Map<String, HttpHandler> byPath = new ConcurrentHashMap<>();

    public Routes add(String path, HttpHandler handler) {
        if (byPath.putIfAbsent(path, handler) != null) {
            throw new IllegalArgumentException("path is already routed: " + path);
        }
        return this;
    }

    Optional<HttpHandler> find(String path) {
        return Optional.ofNullable(byPath.get(path));
    }
}
