package dev.runnel.distributor.http;

/**
 * Which tenant a request belongs to. With multitenancy on, the {@code X-Scope-OrgID} header
 * names it, checked as Mimir checks tenant ids, since they end up in object keys and metric
 * labels: at most 150 characters of {@code [a-zA-Z0-9!-_.*'()]}, and not {@code .} or {@code ..}.
 * With it off every request is tenant {@code anonymous}, whatever the header says.
 */
final class Tenants {

    static final String HEADER = "X-Scope-OrgID";
    static final String NO_AUTH_TENANT = "anonymous";
    static final int MAX_LENGTH = 150;

    private final boolean multitenancy;

    Tenants(boolean multitenancy) {
        this.multitenancy = multitenancy;
    }

    String resolve(String header) throws Rejected {
        if (!multitenancy) {
            return NO_AUTH_TENANT;
        }
        if (header == null || header.isEmpty()) {
            throw new Rejected(401, "no tenant: the " + HEADER + " header is missing");
        }
        if (header.length() > MAX_LENGTH) {
            throw new Rejected(400, "tenant id is too long: " + header.length() + " characters, at most " + MAX_LENGTH);
        }
        if (header.equals(".") || header.equals("..")) {
            throw new Rejected(400, "tenant id \"" + header + "\" is not allowed");
        }
        for (int i = 0; i < header.length(); i++) {
            if (!allowed(header.charAt(i))) {
                throw new Rejected(400, "tenant id \"" + header + "\" is invalid: character " + (i + 1)
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
