package dev.atoll.websocket.conformance;

/**
 * One case's result.
 *
 * @param id          the case id
 * @param description what the case does and expects
 * @param outcome     its outcome
 * @param detail      what the peer did
 * @param millis      how long it took
 */
public record CaseResult(String id, String description, Outcome outcome, String detail, long millis) {
}
