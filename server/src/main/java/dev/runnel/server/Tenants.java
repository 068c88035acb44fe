package dev.runnel.server;

/**
 * Which tenant a request belongs to, shared by every component that serves tenants' requests.
 * With multitenancy on ({@code -auth.multitenancy-enabled}), the {@code X-Scope-OrgID} header
 * names it, checked as Mimir checks tenant ids, since they end up in object keys and metric
 * labels: at most 150 characters of {@code [a-zA-Z0-9!-_.*'()]}, and not {@code .} or {@code ..}.
 * With it off every request is tenant {@code anonymous}, whatever the header says.
 */
public final class Tenants {

    public static final String HEADER = "X-Scope-OrgID";
    public static final String NO_AUTH_TENANT = "anonymous";
    public static final int MAX_LENGTH = 150;

    /** A request without a usable tenant: 401 when none is named, 400 when the id is invalid. */
    public static final class InvalidTenant extends Exception {
        private final int status;

        InvalidTenant(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        /** The HTTP status to answer. */
        public int status() {
            return status;
        }
    }

    private final boolean multitenancy;

    public Tenants(boolean multitenancy) {
        this.multitenancy = multitenancy;
    }

    /** The tenant named by the value of the {@link #HEADER} header (null when absent). */
    public String resolve(String header) throws InvalidTenant {
        if (!multitenancy) {
            return NO_AUTH_TENANT;
        }
        if (header == null || header.isEmpty()) {
            throw new InvalidTenant(401, "no tenant: the " + HEADER + " header is missing");
        }
        if (header.length() > MAX_LENGTH) {
            throw new InvalidTenant(400, "tenant id is too long: " + header.length() + " characters, at most " + MAX_LENGTH);
        }
        if (header.equals(".") || header.equals("..")) {
            throw new InvalidTenant(400, "tenant id \"" + header + "\" is not allowed");
        }
        for (int i = 0; i < header.length(); i++) {
            if (!allowed(header.charAt(i))) {
                throw new InvalidTenant(400, "tenant id \"" + header + "\" is invalid: character " + (i + 1)
                        + " is not one of a-z A-Z 0-9 ! - _ . * ' ( )");
            }
        }
        return header;
    }

    private static boolean allowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '!' || c == '-' || c == '_' || c == '.' || c == '*' || c == '\'' || c == '(' || c == ')';
    }
}
