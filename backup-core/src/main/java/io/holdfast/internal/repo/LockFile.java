package io.holdfast.internal.repo;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A lock file as restic writes and reads it. */
public record LockFile(
    @JsonProperty("time") String time,
    @JsonProperty("exclusive") boolean exclusive,
    @JsonProperty("hostname") String hostname,
    @JsonProperty("username") String username,
    @JsonProperty("pid") long pid,
    @JsonProperty("uid") long uid,
    @JsonProperty("gid") long gid) {}
