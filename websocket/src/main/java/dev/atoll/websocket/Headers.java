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
