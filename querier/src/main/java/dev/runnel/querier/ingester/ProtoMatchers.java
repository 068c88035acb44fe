package dev.runnel.querier.ingester;

import dev.runnel.proto.ingester.v1.LabelMatcher;
import dev.runnel.querier.promql.model.Matcher;
import java.util.ArrayList;
import java.util.List;

/** PromQL matchers as the ingester query service's: the same four operators, the regex sent as written. */
final class ProtoMatchers {

    private ProtoMatchers() {
    }

    static List<LabelMatcher> toProto(List<Matcher> matchers) {
        List<LabelMatcher> out = new ArrayList<>(matchers.size());
        for (Matcher m : matchers) {
            out.add(toProto(m));
        }
        return out;
    }

    static LabelMatcher toProto(Matcher m) {
        LabelMatcher.Type type = switch (m.type()) {
            case EQUAL -> LabelMatcher.Type.EQ;
            case NOT_EQUAL -> LabelMatcher.Type.NEQ;
            case REGEX -> LabelMatcher.Type.RE;
            case NOT_REGEX -> LabelMatcher.Type.NRE;
        };
        return LabelMatcher.newBuilder().setType(type).setName(m.name()).setValue(m.value()).build();
    }
}
