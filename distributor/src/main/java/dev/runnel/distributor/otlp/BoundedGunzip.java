package dev.runnel.distributor.otlp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;

/** Gunzips a body, stopping as soon as the output would exceed a limit, so a gzip bomb costs at most that much. */
final class BoundedGunzip {

    private BoundedGunzip() {
    }

    static byte[] gunzip(byte[] compressed, int maxBytes) throws OtlpFormatException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, Math.max(64, compressed.length * 4)));
        byte[] buffer = new byte[16 * 1024];
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed), buffer.length)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (out.size() + (long) n > maxBytes) {
                    throw new OtlpFormatException(413, "the request body decompresses to more than the limit of "
                            + maxBytes + " bytes");
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new OtlpFormatException(400, "the request body is not valid gzip: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }
}
