package io.holdfast.internal.repo;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

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
    @JsonProperty("program_version") String programVersion) {
  /** Holdfast tags every snapshot of a backup plan with this followed by the plan's name. */
  public static final String PLAN_TAG_PREFIX = "plan:";

  /** The tag of the snapshots of backup plan {@code plan}. */
  public static String planTag(String plan) {
    return PLAN_TAG_PREFIX + plan;
  }

  /** The plan named by the first plan tag in {@code tags} (null for none), if there is one. */
  public static Optional<String> planOf(Collection<String> tags) {
    return tags == null ? Optional.empty() : tags.stream().filter(t -> t.startsWith(PLAN_TAG_PREFIX))
        .map(t -> t.substring(PLAN_TAG_PREFIX.length())).findFirst();
  }
}
