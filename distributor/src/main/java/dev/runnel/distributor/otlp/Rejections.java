package dev.runnel.distributor.otlp;

/** Counts the data points a translation rejected and keeps the first reason given. */
final class Rejections {

    private int points;
    private String firstError;

    void reject(int dataPoints, String reason) {
        points += dataPoints;
        note(reason);
    }

    /** A problem that cost no data point (a metric without any), reported but not counted. */
    void note(String reason) {
        if (firstError == null) {
            firstError = reason;
        }
    }

    int points() {
        return points;
    }

    String firstError() {
        return firstError;
    }
}
