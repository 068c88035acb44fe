package dev.runnel.server;

import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The paths a process serves and the handler of each; components add theirs at start-up. A path
 * is served by its exact route, else by the longest prefix route it starts with (for paths with
 * a parameter, such as {@code /api/v1/label/<name>/values}).
 */
public final class Routes {
    private final Map<String, HttpHandler> byPath = new ConcurrentHashMap<>();
    // Reverse order, so the first matching prefix found is the longest.
    private final ConcurrentSkipListMap<String, HttpHandler> byPrefix =
            new ConcurrentSkipListMap<>(Comparator.reverseOrder());

    public Routes add(String path, HttpHandler handler) {
        if (byPath.putIfAbsent(path, handler) != null) {
            throw new IllegalArgumentException("path is already routed: " + path);
        }
        return this;
    }

    /** Routes every path that starts with {@code prefix} and has no exact route of its own. */
    public Routes addPrefix(String prefix, HttpHandler handler) {
        if (prefix.isEmpty()) {
            throw new IllegalArgumentException("a prefix route needs a non-empty prefix");
        }
        if (byPrefix.putIfAbsent(prefix, handler) != null) {
            throw new IllegalArgumentException("prefix is already routed: " + prefix);
        }
        return this;
    }

    Optional<HttpHandler> find(String path) {
        HttpHandler exact = byPath.get(path);
        if (exact != null) {
            return Optional.of(exact);
        }
        for (Map.Entry<String, HttpHandler> e : byPrefix.tailMap(path, true).entrySet()) {
            if (path.startsWith(e.getKey())) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }
}
