package dev.runnel.ingester.consume;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class OffsetWaitersTest {

    private final OffsetWaiters waiters = new OffsetWaiters();

    @Test
    void completesWaitersOnceTheirRecordIsApplied() {
        CompletableFuture<Void> five = waiters.await(5);
        CompletableFuture<Void> seven = waiters.await(7);
        waiters.advance(5);
        assertThat(five).isNotDone();
        waiters.advance(6);
        assertThat(five).isCompleted();
        assertThat(seven).isNotDone();
        waiters.advance(100);
        assertThat(seven).isCompleted();
    }

    @Test
    void anAppliedOffsetCompletesAtOnce() {
        waiters.advance(10);
        assertThat(waiters.await(9)).isCompleted();
        assertThat(waiters.await(10)).isNotDone();
    }

    @Test
    void closingFailsWaitersNowAndLater() {
        CompletableFuture<Void> pending = waiters.await(3);
        waiters.close(new IllegalStateException("closed"));
        assertThat(pending).isCompletedExceptionally();
        assertThat(waiters.await(4)).isCompletedExceptionally();
    }
}
