package io.holdfast.internal.repo;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** A snapshot file exactly as restic reads it; {@code time} is Go RFC 3339 with nanoseconds. */
public record SnapshotFile(
    @JsonProperty("time") String time,
    @JsonProperty("parent") String parent,
    @JsonProperty("tree") String tree,
    @JsonProperty("paths") List<String> paths,
    @JsonProperty("hostname") String hostname,
    @JsonProperty("username") String username,
    @JsonProperty("uid") Long uid,
    @JsonProperty("gid") Long gid,
    @JsonProperty("excludes") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> excludes,
    @JsonProperty("tags") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> tags,
    @JsonProperty("original") String original,
    @JsonProperty("program_version") String programVersion) {}
