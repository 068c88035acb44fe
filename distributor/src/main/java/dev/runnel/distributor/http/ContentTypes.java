package dev.runnel.distributor.http;

import dev.runnel.distributor.remotewrite.RemoteWriteVersion;
import java.util.Locale;

/**
 * Reads the protocol of a remote-write request from its headers, as Prometheus' receiver does:
 * {@code Content-Type: application/x-protobuf} with an optional {@code proto} parameter naming
 * the message (none, or a missing Content-Type, means 1.0), and {@code Content-Encoding: snappy}
 * (a missing one means snappy). {@code X-Prometheus-Remote-Write-Version} is honoured too: a
 * major version other than 0, 1 or 2 is refused, and 2.x without a {@code proto} parameter
 * means 2.0.
 */
final class ContentTypes {

    static final String MEDIA_TYPE = "application/x-protobuf";
    static final String VERSION_HEADER = "X-Prometheus-Remote-Write-Version";

    private ContentTypes() {
    }

    static RemoteWriteVersion version(String contentType, String versionHeader) throws Rejected {
        int major = major(versionHeader);
        RemoteWriteVersion fallback = major == 2 ? RemoteWriteVersion.V2 : RemoteWriteVersion.V1;
        if (contentType == null || contentType.isBlank()) {
            return fallback;
        }
        String[] parts = contentType.split(";");
        if (!parts[0].trim().toLowerCase(Locale.ROOT).equals(MEDIA_TYPE)) {
            throw unsupported(contentType, "the media type must be " + MEDIA_TYPE);
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            int eq = parameter.indexOf('=');
            if (eq < 0) {
                throw unsupported(contentType, "parameter \"" + parameter + "\" is not a name=value pair");
            }
            if (parameter.substring(0, eq).trim().equalsIgnoreCase("proto")) {
                String message = unquote(parameter.substring(eq + 1).trim());
                for (RemoteWriteVersion v : RemoteWriteVersion.values()) {
                    if (v.message().equals(message)) {
                        return v;
                    }
                }
                throw unsupported(contentType, "unknown message \"" + message + "\"");
            }
        }
        return fallback;
    }

    static void checkEncoding(String contentEncoding) throws Rejected {
        if (contentEncoding != null && !contentEncoding.isBlank() && !contentEncoding.trim().equalsIgnoreCase("snappy")) {
            throw new Rejected(415, "Content-Encoding \"" + contentEncoding + "\" is not accepted: only snappy is");
        }
    }

    private static int major(String versionHeader) throws Rejected {
        if (versionHeader == null || versionHeader.isBlank()) {
            return 1;
        }
        String v = versionHeader.trim();
        int dot = v.indexOf('.');
        String major = dot < 0 ? v : v.substring(0, dot);
        if (!major.equals("0") && !major.equals("1") && !major.equals("2")) {
            throw new Rejected(415, VERSION_HEADER + " \"" + versionHeader + "\" is not supported: this server accepts "
                    + "remote write 1.0 (0.1.0) and 2.0 (2.0.0)");
        }
        return Integer.parseInt(major);
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    private static Rejected unsupported(String contentType, String why) {
        return new Rejected(415, "Content-Type \"" + contentType + "\" is not supported (" + why + "): send " + MEDIA_TYPE
                + " with proto=" + RemoteWriteVersion.V1.message() + " or proto=" + RemoteWriteVersion.V2.message());
    }
}
