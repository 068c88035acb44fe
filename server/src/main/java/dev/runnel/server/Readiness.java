package dev.runnel.server;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Whether the process is ready for traffic: every component adds a check that answers empty
 * when it is ready, or why it is not.
 */
public final class Readiness {
    private final List<Supplier<Optional<String>>> checks = new CopyOnWriteArrayList<>();

    public void add(Supplier<Optional<String>> notReadyReason) {
        checks.add(notReadyReason);
    }

    /** The first reason a component gives for not being ready, or empty when all are ready. */
    public Optional<String> notReadyReason() {
        for (Supplier<Optional<String>> check : checks) {
            Optional<String> reason = check.get();
            if (reason.isPresent()) {
                return reason;
            }
        }
        return Optional.empty();
    }
}
