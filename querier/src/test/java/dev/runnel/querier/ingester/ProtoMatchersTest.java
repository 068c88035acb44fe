package dev.runnel.querier.ingester;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.proto.ingester.v1.LabelMatcher;
import dev.runnel.querier.promql.model.Matcher;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtoMatchersTest {

    @Test
    void everyOperatorMapsToItsProtoType() {
        List<LabelMatcher> proto = ProtoMatchers.toProto(List.of(
                Matcher.of(Matcher.Type.EQUAL, "__name__", "up"),
                Matcher.of(Matcher.Type.NOT_EQUAL, "job", ""),
                Matcher.of(Matcher.Type.REGEX, "instance", "a.*|b(?P<x>c)"),
                Matcher.of(Matcher.Type.NOT_REGEX, "code", "5..")));
        assertThat(proto).extracting(LabelMatcher::getType)
                .containsExactly(LabelMatcher.Type.EQ, LabelMatcher.Type.NEQ, LabelMatcher.Type.RE, LabelMatcher.Type.NRE);
        assertThat(proto).extracting(LabelMatcher::getName).containsExactly("__name__", "job", "instance", "code");
        // Values go as written, empty ones and RE2-only syntax included; the ingester interprets them.
        assertThat(proto).extracting(LabelMatcher::getValue).containsExactly("up", "", "a.*|b(?P<x>c)", "5..");
    }

    @Test
    void everyMatcherTypeIsCovered() {
        for (Matcher.Type type : Matcher.Type.values()) {
            assertThat(ProtoMatchers.toProto(Matcher.of(type, "a", "b")).getType()).isNotEqualTo(LabelMatcher.Type.UNRECOGNIZED);
        }
    }
}
