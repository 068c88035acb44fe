package dev.runnel.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RoutesTest {
    private static HttpHandler handler() {
        return request -> new CompletableFuture<>();
    }

    @Test
    void exactRoutesWinOverPrefixesAndTheLongestPrefixWins() {
        HttpHandler exact = handler();
        HttpHandler shortPrefix = handler();
        HttpHandler longPrefix = handler();
        Routes routes = new Routes()
                .add("/api/v1/labels", exact)
                .addPrefix("/api/v1/", shortPrefix)
                .addPrefix("/api/v1/label/", longPrefix);

        assertThat(routes.find("/api/v1/labels")).containsSame(exact);
        assertThat(routes.find("/api/v1/label/job/values")).containsSame(longPrefix);
        assertThat(routes.find("/api/v1/query")).containsSame(shortPrefix);
        assertThat(routes.find("/api/v1")).isEmpty();
        assertThat(routes.find("/other")).isEmpty();
    }

    @Test
    void aPrefixIsRoutedOnce() {
        Routes routes = new Routes().addPrefix("/a/", handler());
        assertThatThrownBy(() -> routes.addPrefix("/a/", handler())).hasMessage("prefix is already routed: /a/");
        assertThatThrownBy(() -> routes.addPrefix("", handler())).isInstanceOf(IllegalArgumentException.class);
    }
}
