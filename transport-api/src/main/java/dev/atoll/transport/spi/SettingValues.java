package dev.atoll.transport.spi;

import java.time.Duration;

/**
 * Parses the string values of configuration maps ({@code atoll.*} keys) the same way in every
 * module, with errors that name the key and the value.
 */
public final class SettingValues {

    private SettingValues() {
    }

    /**
     * A duration written as milliseconds or seconds: {@code 500ms}, {@code 10s}.
     *
     * @param key   the key, for the error message
     * @param value the value
     * @return the duration
     * @throws IllegalArgumentException when the value is not such a duration
     */
    public static Duration duration(String key, String value) {
        String v = value.strip();
        try {
            if (v.endsWith("ms")) {
                return nonNegative(key, value, Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2))));
            }
            if (v.endsWith("s")) {
                return nonNegative(key, value, Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1))));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(key + ": '" + value + "' is not a duration such as 500ms or 10s");
    }

    private static Duration nonNegative(String key, String value, Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException(key + ": '" + value + "' is negative");
        }
        return d;
    }

    /**
     * A whole number within bounds.
     *
     * @param key   the key, for the error message
     * @param value the value
     * @param min   the smallest value allowed
     * @param max   the largest value allowed
     * @return the number
     * @throws IllegalArgumentException when the value is not a whole number within the bounds
     */
    public static int integer(String key, String value, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + value + "' is not a whole number", e);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(key + ": " + n + " is not between " + min + " and " + max);
        }
        return n;
    }

    /**
     * {@code true} or {@code false}, nothing else.
     *
     * @param key   the key, for the error message
     * @param value the value
     * @return the boolean
     * @throws IllegalArgumentException when the value is neither
     */
    public static boolean bool(String key, String value) {
        return switch (value.strip()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + ": '" + value + "' is not true or false");
        };
    }
}
