package io.holdfast;

import java.time.Instant;
import java.util.Map;

/**
 * What a backup did with one dataset.
 *
 * @param frozenAt when its provider's {@code take()} returned (inside the gate hold when it had one)
 * @param unreadable entries that could not be read and were left out (each also a warning)
 */
public record DatasetReport(
    String name,
    String provider,
    ConsistencyLevel consistency,
    long filesNew,
    long filesChanged,
    long filesUnmodified,
    long bytesRead,
    long bytesAdded,
    Instant frozenAt,
    Map<String, String> externalReferences,
    long unreadable) {}
