/**
 * Building blocks for backend authors: the shared implementation of the receive rules
 * ({@link dev.atoll.transport.spi.Receiver}), deadlines and traffic counters. Applications do not
 * need this package.
 */
package dev.atoll.transport.spi;
