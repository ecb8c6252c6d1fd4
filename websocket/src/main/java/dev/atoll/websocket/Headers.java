package dev.atoll.websocket;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** HTTP/1.1 field syntax as the opening handshake needs it (RFC 9110). */
final class Headers {

    /** Response headers an accepted upgrade writes itself. */
    static final Set<String> SET_BY_UPGRADE = Set.of("upgrade", "connection", "sec-websocket-accept",
            "sec-websocket-protocol", "sec-websocket-extensions", "content-length", "transfer-encoding");

    private Headers() {
    }

    /** RFC 9110's tchar. */
    static boolean tchar(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    static boolean token(CharSequence s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!tchar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static void checkToken(String what, String s) {
        if (!token(s)) {
            throw new IllegalArgumentException(what + ": '" + s + "' is not an HTTP token");
        }
    }

    /** A header the application gives: a token name, a value of visible characters, spaces and tabs. */
    static void checkField(String name, String value) {
        checkToken("header name", name);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                throw new IllegalArgumentException("header " + name + ": its value has a character not allowed in a field (0x"
                        + Integer.toHexString(c) + ")");
            }
        }
    }

    /** The comma-separated elements of a list-valued header, trimmed, empty ones dropped. */
    static List<String> elements(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            for (String part : v.split(",", -1)) {
                String e = part.strip();
                if (!e.isEmpty()) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    static boolean hasToken(List<String> values, String token) {
        for (String e : elements(values)) {
            if (e.toLowerCase(Locale.ROOT).equals(token)) {
                return true;
            }
        }
        return false;
    }

    /**
     * An HTTP/1.1 message head (RFC 9112 sections 2-5): its start line and its fields, parsed
     * strictly. Empty lines before the start line are skipped; a bare CR or LF, a NUL, a folded
     * line, a field name that is not a token (or followed by a space) and a control character in
     * a value are errors.
     *
     * @param startLine the request or status line
     * @param fields    the fields in order, values without surrounding whitespace
     */
    record Head(String startLine, List<java.util.Map.Entry<String, String>> fields) {

        /**
         * @param head the head, ending with its empty line
         * @return the parsed head
         * @throws IllegalArgumentException naming what is malformed
         */
        static Head parse(java.nio.ByteBuffer head) {
            byte[] bytes = new byte[head.remaining()];
            head.get(bytes);
            String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
            int start = 0;
            while (text.startsWith("\r\n", start)) {
                start += 2;
            }
            if (!text.endsWith("\r\n\r\n") || text.length() - 4 <= start) {
                throw new IllegalArgumentException("The head is empty or not ended by an empty line.");
            }
            String[] lines = text.substring(start, text.length() - 4).split("\r\n", -1);
            for (String line : lines) {
                if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0 || line.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("The head has a bare CR, LF or a NUL.");
                }
            }
            List<java.util.Map.Entry<String, String>> fields = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                String line = lines[i];
                if (line.isEmpty() || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                    throw new IllegalArgumentException("The head has a folded or empty header line.");
                }
                int colon = line.indexOf(':');
                if (colon <= 0 || !token(line.substring(0, colon))) {
                    throw new IllegalArgumentException("The head has a malformed header line.");
                }
                String value = line.substring(colon + 1).strip();
                for (int k = 0; k < value.length(); k++) {
                    char c = value.charAt(k);
                    if ((c < 0x20 && c != '\t') || c == 0x7F) {
                        throw new IllegalArgumentException("A header value has a control character.");
                    }
                }
                fields.add(java.util.Map.entry(line.substring(0, colon), value));
            }
            return new Head(lines[0], List.copyOf(fields));
        }

        /** {@return the values of every field of that name, in order} */
        List<String> values(String name) {
            List<String> values = new ArrayList<>(1);
            for (java.util.Map.Entry<String, String> f : fields) {
                if (f.getKey().equalsIgnoreCase(name)) {
                    values.add(f.getValue());
                }
            }
            return values;
        }
    }

    static String reasonPhrase(int status) {
        return switch (status) {
            case 101 -> "Switching Protocols";
            case 200 -> "OK";
            case 204 -> "No Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 426 -> "Upgrade Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> "Status " + status;
        };
    }
}
