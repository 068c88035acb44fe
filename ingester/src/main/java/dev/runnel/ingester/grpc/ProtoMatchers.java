package dev.runnel.ingester.grpc;

import dev.runnel.ingester.labels.LabelMatcher;
import java.util.ArrayList;
import java.util.List;

/** The query service's label matchers as the head's. */
final class ProtoMatchers {

    private ProtoMatchers() {
    }

    /** @throws IllegalArgumentException for an unknown matcher type or an invalid regular expression */
    static List<LabelMatcher> fromProto(List<dev.runnel.proto.ingester.v1.LabelMatcher> matchers) {
        List<LabelMatcher> out = new ArrayList<>(matchers.size());
        for (dev.runnel.proto.ingester.v1.LabelMatcher m : matchers) {
            LabelMatcher.Type type = switch (m.getType()) {
                case EQ -> LabelMatcher.Type.EQUAL;
                case NEQ -> LabelMatcher.Type.NOT_EQUAL;
                case RE -> LabelMatcher.Type.REGEX;
                case NRE -> LabelMatcher.Type.NOT_REGEX;
                case UNRECOGNIZED -> throw new IllegalArgumentException(
                        "label matcher on \"" + m.getName() + "\" has an unknown type " + m.getTypeValue());
            };
            out.add(LabelMatcher.of(type, m.getName(), m.getValue()));
        }
        return out;
    }
}
