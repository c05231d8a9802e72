package io.holdfast;

import java.time.Instant;

/** A phase entered at an instant. */
public record PhaseChange(Phase phase, Instant at) {}
