package dev.runnel.ingester.consume;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TenantKeysTest {

    private final TenantKeys keys = new TenantKeys();

    @Test
    void readsTheTenantAsUtf8AndReusesItForTheSameKey() {
        String first = keys.tenant("téna".getBytes(StandardCharsets.UTF_8));
        assertThat(first).isEqualTo("téna");
        assertThat(keys.tenant("téna".getBytes(StandardCharsets.UTF_8))).isSameAs(first);
        assertThat(keys.tenant("other".getBytes(StandardCharsets.UTF_8))).isEqualTo("other");
    }

    @Test
    void rejectsMissingAndNonUtf8Keys() {
        assertThat(keys.tenant(null)).isNull();
        assertThat(keys.invalidReason()).contains("no key");
        assertThat(keys.tenant(new byte[0])).isNull();
        assertThat(keys.tenant(new byte[] {(byte) 0xc3, 0x28})).isNull();
        assertThat(keys.invalidReason()).contains("not UTF-8");
    }
}
