package dev.atoll.transport;

import java.net.SocketOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable, ordered set of socket option values, applied when a listener or connection is
 * opened. Options are the JDK's own ({@link java.net.StandardSocketOptions},
 * {@code jdk.net.ExtendedSocketOptions}) or Atoll's ({@link AtollOptions}).
 *
 * <pre>{@code
 * SocketOptions opts = SocketOptions.of(StandardSocketOptions.TCP_NODELAY, true)
 *         .with(StandardSocketOptions.SO_KEEPALIVE, true);
 * }</pre>
 */
public final class SocketOptions {

    private static final SocketOptions NONE = new SocketOptions(Map.of());

    private final Map<SocketOption<?>, Object> values;

    private SocketOptions(Map<SocketOption<?>, Object> values) {
        this.values = values;
    }

    /**
     * No options: every option keeps the backend's default.
     *
     * @return the empty set
     */
    public static SocketOptions none() {
        return NONE;
    }

    /**
     * One option.
     *
     * @param option the option
     * @param value  its value, of the option's type
     * @param <T>    the value type
     * @return a set holding just this option
     * @throws IllegalArgumentException if the value is not of the option's type
     */
    public static <T> SocketOptions of(SocketOption<T> option, T value) {
        return NONE.with(option, value);
    }

    /**
     * This set with one more option; a later value for the same option replaces the earlier.
     *
     * @param option the option
     * @param value  its value, of the option's type
     * @param <T>    the value type
     * @return a new set
     * @throws IllegalArgumentException if the value is not of the option's type
     */
    public <T> SocketOptions with(SocketOption<T> option, T value) {
        Objects.requireNonNull(option, "option");
        Objects.requireNonNull(value, "value");
        if (!option.type().isInstance(value)) {
            throw new IllegalArgumentException("option " + option.name() + " takes a "
                    + option.type().getSimpleName() + ", not " + value.getClass().getSimpleName());
        }
        Map<SocketOption<?>, Object> copy = new LinkedHashMap<>(values);
        copy.remove(option);
        copy.put(option, value);
        return new SocketOptions(Collections.unmodifiableMap(copy));
    }

    /**
     * The options in this set, in the order they were added.
     *
     * @return the options
     */
    public Set<SocketOption<?>> options() {
        return values.keySet();
    }

    /**
     * The value of an option in this set.
     *
     * @param option the option
     * @param <T>    the value type
     * @return the value, or {@code null} when the set does not hold the option
     */
    public <T> T get(SocketOption<T> option) {
        return option.type().cast(values.get(option));
    }

    /**
     * The value of an option, or a default when the set does not hold it.
     *
     * @param option       the option
     * @param defaultValue the value to return when the option is absent
     * @param <T>          the value type
     * @return the value or the default
     */
    public <T> T get(SocketOption<T> option, T defaultValue) {
        T value = get(option);
        return value == null ? defaultValue : value;
    }

    /**
     * Applies every option of this set to a target, in order.
     *
     * @param target what sets one option
     * @throws java.io.IOException the first failure of {@code target}
     */
    public void applyTo(OptionTarget target) throws java.io.IOException {
        for (Map.Entry<SocketOption<?>, Object> e : values.entrySet()) {
            apply(target, e.getKey(), e.getValue());
        }
    }

    private static <T> void apply(OptionTarget target, SocketOption<T> option, Object value)
            throws java.io.IOException {
        target.set(option, option.type().cast(value));
    }

    /** Something that accepts option values one at a time, such as a connection. */
    @FunctionalInterface
    public interface OptionTarget {
        /**
         * Sets one option.
         *
         * @param option the option
         * @param value  its value
         * @param <T>    the value type
         * @throws java.io.IOException when the option cannot be set
         */
        <T> void set(SocketOption<T> option, T value) throws java.io.IOException;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SocketOptions other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        values.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(k.name()).append('=').append(v));
        return sb.append('}').toString();
    }
}
