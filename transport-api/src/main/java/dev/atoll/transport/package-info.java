/**
 * Atoll's transport API: the {@link dev.atoll.transport.Transport} service provider interface,
 * the {@link dev.atoll.transport.Connection} and {@link dev.atoll.transport.Listener} views
 * application code uses, options, statistics, errors, and discovery through
 * {@link dev.atoll.transport.Transports}.
 */
package dev.atoll.transport;
