package io.holdfast.internal.repo;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The repository's {@code config}: format version, repository id, chunker polynomial (hex). */
public record ConfigFile(
    @JsonProperty("version") int version,
    @JsonProperty("id") String id,
    @JsonProperty("chunker_polynomial") String chunkerPolynomial) {}
