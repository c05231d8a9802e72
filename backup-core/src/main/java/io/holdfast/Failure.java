package io.holdfast;

/**
 * Why an operation failed: the phase it was in, the dataset or gate concerned (null if none), and
 * the cause.
 */
public record Failure(Phase phase, String subject, String message, Throwable cause) {}
