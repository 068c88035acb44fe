package dev.runnel.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TenantsTest {
    @Test
    void withoutMultitenancyEveryRequestIsAnonymous() throws Exception {
        Tenants tenants = new Tenants(false);
        assertThat(tenants.resolve(null)).isEqualTo("anonymous");
        assertThat(tenants.resolve("team-a")).isEqualTo("anonymous");
    }

    @Test
    void withMultitenancyTheHeaderNamesAValidTenant() throws Exception {
        Tenants tenants = new Tenants(true);
        assertThat(tenants.resolve("team-a_(prod).*!'")).isEqualTo("team-a_(prod).*!'");
        assertThatThrownBy(() -> tenants.resolve(null)).isInstanceOfSatisfying(Tenants.InvalidTenant.class,
                e -> assertThat(e.status()).isEqualTo(401));
        assertThatThrownBy(() -> tenants.resolve("a/b")).isInstanceOfSatisfying(Tenants.InvalidTenant.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).isEqualTo("tenant id \"a/b\" is invalid: character 2 is not one of a-z A-Z 0-9 ! - _ . * ' ( )");
        });
        assertThatThrownBy(() -> tenants.resolve("..")).hasMessage("tenant id \"..\" is not allowed");
        assertThatThrownBy(() -> tenants.resolve("x".repeat(151))).hasMessageContaining("too long");
    }
}
