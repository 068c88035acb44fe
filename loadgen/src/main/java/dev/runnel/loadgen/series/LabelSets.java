package dev.runnel.loadgen.series;

import java.util.Arrays;
import java.util.Locale;

/**
 * Builds realistic label sets, like those of Prometheus' Kubernetes targets, from a series number unique within a
 * tenant. The number picks the metric name ({@code id % METRICS.length}) and the target ({@code id / METRICS.length}):
 * a target is a pod with an instance address, and its other labels (namespace, job, node, ...) are shared by many
 * targets, as in a real cluster. Metric name and instance together are unique per number, so distinct numbers give
 * distinct series.
 */
final class LabelSets {
    static final String[] METRICS = {
            "http_requests_total", "http_request_duration_seconds_count", "http_request_duration_seconds_sum",
            "process_cpu_seconds_total", "process_resident_memory_bytes", "process_open_fds",
            "go_goroutines", "go_memstats_alloc_bytes_total", "go_gc_duration_seconds_count",
            "container_cpu_usage_seconds_total", "container_memory_working_set_bytes",
            "container_network_receive_bytes_total", "container_network_transmit_bytes_total",
            "kube_pod_container_status_restarts_total", "node_cpu_seconds_total", "node_network_receive_bytes_total",
            "grpc_server_handled_total", "up", "scrape_duration_seconds", "scrape_samples_scraped"};

    /** Label names after {@code __name__} and {@code instance}, in the order they are added. */
    private static final String[] NAMES = {
            "job", "namespace", "pod", "container", "node", "cluster", "region", "zone", "service", "endpoint",
            "app", "team", "env", "version", "method", "status_code", "handler", "image", "controller", "shard"};

    private static final String[] NAMESPACES = {"default", "monitoring", "payments", "checkout", "search", "ingest",
            "auth", "kube-system"};
    private static final String[] ZONES = {"a", "b", "c"};
    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE"};
    private static final String[] CODES = {"200", "201", "204", "400", "404", "500", "503"};
    private static final String[] HANDLERS = {"/api/v1/query", "/api/v1/push", "/healthz", "/metrics", "/ready"};

    private LabelSets() {
    }

    /** The smallest label count: {@code __name__} and {@code instance}, which make the series unique. */
    static final int MIN_LABELS = 2;

    static Series of(long id, int labels) {
        if (labels < MIN_LABELS) {
            throw new IllegalArgumentException("labels per series must be at least " + MIN_LABELS
                    + " (__name__ and instance): " + labels);
        }
        long target = id / METRICS.length;
        String metric = METRICS[(int) (id % METRICS.length)];
        String app = "app-" + (target / 16) % 200;
        String[] names = new String[labels];
        String[] values = new String[labels];
        names[0] = "__name__";
        values[0] = metric;
        names[1] = "instance";
        values[1] = String.format(Locale.ROOT, "10.%d.%d.%d:9100", (target >> 16) & 255, (target >> 8) & 255, target & 255)
                + (target >= 1 << 24 ? "/" + (target >> 24) : "");
        for (int i = 2; i < labels; i++) {
            int k = i - 2;
            String name = k < NAMES.length ? NAMES[k] : "label_" + k;
            names[i] = name;
            values[i] = value(name, target, app, k);
        }
        sortByName(names, values);
        return new Series(names, values);
    }

    /** The inverse of {@link #of}'s metric name and instance: the series number, or -1 when {@link #of} never makes them. */
    static long idOf(String metricName, String instance) {
        int metric = Arrays.asList(METRICS).indexOf(metricName);
        if (metric < 0 || instance == null || !instance.startsWith("10.")) {
            return -1;
        }
        int port = instance.indexOf(":9100");
        String[] octets = instance.substring(3, Math.max(3, port)).split("\\.", -1);
        String rest = port < 0 ? "" : instance.substring(port + 5);
        if (octets.length != 3 || !(rest.isEmpty() || rest.startsWith("/"))) {
            return -1;
        }
        try {
            long target = 0;
            for (String octet : octets) {
                int v = Integer.parseInt(octet);
                if (v < 0 || v > 255) {
                    return -1;
                }
                target = target << 8 | v;
            }
            if (!rest.isEmpty()) {
                long high = Long.parseLong(rest.substring(1));
                if (high < 1) {
                    return -1;
                }
                target |= high << 24;
            }
            return target * METRICS.length + metric;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String value(String name, long target, String app, int k) {
        return switch (name) {
            case "job" -> "kubernetes-pods";
            case "namespace" -> NAMESPACES[(int) ((target / 64) % NAMESPACES.length)];
            case "pod" -> app + "-" + Long.toString(target * 2654435761L & 0xfffffffL, 36);
            case "container" -> app;
            case "node" -> "node-" + target / 40;
            case "cluster" -> "prod-eu-1";
            case "region" -> "eu-west-1";
            case "zone" -> "eu-west-1" + ZONES[(int) ((target / 40) % ZONES.length)];
            case "service", "app" -> app;
            case "endpoint" -> "http-metrics";
            case "team" -> "team-" + (target / 512) % 12;
            case "env" -> "production";
            case "version" -> "v1." + (target / 100) % 20 + ".0";
            case "method" -> METHODS[(int) (target % METHODS.length)];
            case "status_code" -> CODES[(int) (target % CODES.length)];
            case "handler" -> HANDLERS[(int) (target % HANDLERS.length)];
            case "image" -> "registry.example.com/" + app + ":1.0";
            case "controller" -> "ReplicaSet";
            case "shard" -> Long.toString(target % 4);
            default -> "value-" + (target + k) % 100;
        };
    }

    private static void sortByName(String[] names, String[] values) {
        Integer[] order = new Integer[names.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> names[a].compareTo(names[b]));
        String[] n = names.clone();
        String[] v = values.clone();
        for (int i = 0; i < order.length; i++) {
            names[i] = n[order[i]];
            values[i] = v[order[i]];
        }
    }
}
