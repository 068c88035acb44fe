package dev.runnel.server.zone;

/**
 * How a client tells the server which availability zone it runs in: a {@code runnel_az=<zone>} element in its
 * Kafka {@code client.id}, the way WarpStream reads {@code ws_az=<zone>} (which is accepted too). Elements are
 * separated by commas: {@code runnel-distributor,runnel_az=eu-west-1a}.
 *
 * <p>A zone is 1 to 64 characters of {@code [A-Za-z0-9._-]}; anything else (or no element) is {@link #UNKNOWN}, so
 * what a client sends can never become an arbitrary metric label value.
 */
public final class ClientZones {
    /** The zone of a peer that did not say, or said something unreadable. */
    public static final String UNKNOWN = "unknown";
    /** The element key Runnel's own clients write. */
    public static final String KEY = "runnel_az";
    private static final String[] KEYS = {KEY, "ws_az"};
    private static final int MAX_ZONE_LENGTH = 64;

    private ClientZones() {
    }

    /** {@code base} with this zone's element appended; {@code base} unchanged when {@code zone} is empty. */
    public static String clientId(String base, String zone) {
        if (zone == null || zone.isEmpty()) {
            return base;
        }
        if (!valid(zone, 0, zone.length())) {
            throw new IllegalArgumentException("zone \"" + zone + "\" is invalid: must be 1 to " + MAX_ZONE_LENGTH
                    + " characters of [A-Za-z0-9._-]");
        }
        return base.isEmpty() ? KEY + "=" + zone : base + "," + KEY + "=" + zone;
    }

    /** {@code zone} if it is a valid zone, else {@link #UNKNOWN}: for a zone a peer sent on its own (a header). */
    public static String zoneOrUnknown(String zone) {
        return zone != null && valid(zone, 0, zone.length()) ? zone : UNKNOWN;
    }

    /** The zone a client id names, or {@link #UNKNOWN}. The first element with a known key wins. */
    public static String zoneOf(String clientId) {
        if (clientId == null) {
            return UNKNOWN;
        }
        int start = 0;
        while (start <= clientId.length()) {
            int end = clientId.indexOf(',', start);
            if (end < 0) {
                end = clientId.length();
            }
            for (String key : KEYS) {
                int valueStart = start + key.length() + 1;
                if (clientId.startsWith(key, start) && valueStart <= end && clientId.charAt(valueStart - 1) == '=') {
                    return valid(clientId, valueStart, end) ? clientId.substring(valueStart, end) : UNKNOWN;
                }
            }
            start = end + 1;
        }
        return UNKNOWN;
    }

    private static boolean valid(String s, int from, int to) {
        if (to <= from || to - from > MAX_ZONE_LENGTH) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
