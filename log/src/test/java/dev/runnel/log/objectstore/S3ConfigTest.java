package dev.runnel.log.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class S3ConfigTest {

    @Test
    void bucketMustBePresentAndAtLeastThreeCharacters() {
        assertThatThrownBy(() -> new S3Config(null, null, "us-east-1", null, false, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("bucket must not be blank");
        assertThatThrownBy(() -> new S3Config("  ", null, "us-east-1", null, false, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("bucket must not be blank");
        assertThatThrownBy(() -> new S3Config("ab", null, "us-east-1", null, false, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 3");
        assertThat(new S3Config("abc", null, "us-east-1", null, false, null, null).bucket()).isEqualTo("abc");
    }

    @Test
    void regionIsRequired() {
        assertThatThrownBy(() -> new S3Config("bucket", null, " ", null, false, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("region");
    }

    @Test
    void prefixIsNormalisedToADirectory() {
        assertThat(config(null).prefix()).isEmpty();
        assertThat(config("").prefix()).isEmpty();
        assertThat(config("runnel").prefix()).isEqualTo("runnel/");
        assertThat(config("/a/b/").prefix()).isEqualTo("a/b/");
    }

    @Test
    void credentialsAreStaticOnlyWhenBothKeysAreGiven() {
        assertThat(new S3Config("bucket", null, "eu-west-1", null, false, "ak", "sk").hasStaticCredentials()).isTrue();
        assertThat(new S3Config("bucket", null, "eu-west-1", null, false, null, null).hasStaticCredentials()).isFalse();
        assertThat(new S3Config("bucket", null, "eu-west-1", null, false, "", " ").hasStaticCredentials()).isFalse();
        assertThatThrownBy(() -> new S3Config("bucket", null, "eu-west-1", null, false, "ak", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("together");
    }

    @Test
    void toStringHidesTheSecret() {
        S3Config c = new S3Config("bucket", "p", "eu-west-1", URI.create("http://localhost:9000"), true, "ak", "sk-secret");
        assertThat(c.toString()).contains("ak").doesNotContain("sk-secret");
    }

    private static S3Config config(String prefix) {
        return new S3Config("bucket", prefix, "us-east-1", null, true, null, null);
    }
}
