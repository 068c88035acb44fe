package dev.runnel.loadgen.cost;

import java.time.Duration;

/**
 * The prices and deployment assumptions of the cost model, each a flag of {@code bin/loadgen}. Defaults are AWS
 * us-east-1 list prices: inter-AZ transfer $0.01/GB charged on each side, S3 Standard $0.005 per 1,000 PUT (and
 * LIST), $0.0004 per 1,000 GET, $0.023/GB-month, gp3 EBS $0.08/GB-month.
 *
 * @param crossAzPerGbEachWay dollars per GB crossing zones, charged once leaving and once entering
 * @param putPer1000          dollars per 1,000 PUT or LIST requests
 * @param getPer1000          dollars per 1,000 GET requests (ranged or whole)
 * @param objectGbMonth       dollars per GB-month of object storage
 * @param diskGbMonth         dollars per GB-month of a broker's disk (the Kafka model)
 * @param retention           how long the log keeps data: stored GB = write rate × retention
 * @param kafkaConsumers      consumer groups reading every byte in the Kafka model (RF2 ingesters: 2)
 */
public record Prices(double crossAzPerGbEachWay, double putPer1000, double getPer1000, double objectGbMonth,
                     double diskGbMonth, Duration retention, int kafkaConsumers) {
    public static final Prices AWS = new Prices(0.01, 0.005, 0.0004, 0.023, 0.08, Duration.ofHours(24), 2);

    public Prices {
        nonNegative("cross-AZ price", crossAzPerGbEachWay);
        nonNegative("PUT price", putPer1000);
        nonNegative("GET price", getPer1000);
        nonNegative("object storage price", objectGbMonth);
        nonNegative("disk price", diskGbMonth);
        if (retention.isNegative()) {
            throw new IllegalArgumentException("retention must not be negative: " + retention);
        }
        if (kafkaConsumers < 0) {
            throw new IllegalArgumentException("Kafka consumers must not be negative: " + kafkaConsumers);
        }
    }

    private static void nonNegative(String what, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(what + " must be a non-negative number: " + v);
        }
    }
}
