package io.holdfast.internal.repo;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.List;
import java.util.Objects;

/**
 * One entry of a tree, with restic's field names. Times are kept as the strings stored (Go RFC 3339
 * with nanoseconds) so a tree read and written again is unchanged; the name is stored quoted as Go's
 * {@code strconv.Quote} does ({@link GoQuote}), as restic stores it; {@code mode} carries Go's
 * {@code os.FileMode} bits (see {@link GoMode}). Only the record's components are JSON fields: the
 * {@code is...} accessors are not, so trees hold restic's fields and nothing else.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Node(
    @JsonProperty("name") @JsonSerialize(using = GoQuote.Serializer.class)
        @JsonDeserialize(using = GoQuote.Deserializer.class) String name,
    @JsonProperty("type") String type,
    @JsonProperty("mode") Long mode,
    @JsonProperty("mtime") String mtime,
    @JsonProperty("atime") String atime,
    @JsonProperty("ctime") String ctime,
    @JsonProperty("uid") long uid,
    @JsonProperty("gid") long gid,
    @JsonProperty("user") String user,
    @JsonProperty("group") String group,
    @JsonProperty("inode") Long inode,
    @JsonProperty("device_id") Long deviceId,
    @JsonProperty("size") Long size,
    @JsonProperty("links") Long links,
    @JsonProperty("linktarget") String linkTarget,
    @JsonProperty("device") Long device,
    @JsonProperty("content") List<String> content,
    @JsonProperty("subtree") String subtree) {

  public static final String FILE = "file";
  public static final String DIR = "dir";
  public static final String SYMLINK = "symlink";
  public static final String FIFO = "fifo";
  public static final String SOCKET = "socket";
  public static final String DEV = "dev";
  public static final String CHARDEV = "chardev";

  @JsonIgnore
  public boolean isDir() {
    return DIR.equals(type);
  }

  @JsonIgnore
  public boolean isFile() {
    return FILE.equals(type);
  }

  @JsonIgnore
  public boolean isSymlink() {
    return SYMLINK.equals(type);
  }

  public long sizeOrZero() {
    return size == null ? 0 : size;
  }

  public long modeOrZero() {
    return mode == null ? 0 : mode;
  }

  public List<String> contentOrEmpty() {
    return content == null ? List.of() : content;
  }

  public Node withSubtree(String subtreeId) {
    return new Node(name, type, mode, mtime, atime, ctime, uid, gid, user, group, inode, deviceId,
        size, links, linkTarget, device, content, subtreeId);
  }

  public Node withContent(List<String> blobIds) {
    return new Node(name, type, mode, mtime, atime, ctime, uid, gid, user, group, inode, deviceId,
        size, links, linkTarget, device, blobIds, subtree);
  }

  // Written out rather than left to the record: the generated ones are built from method handles on
  // first use, which on every run costs a fresh JVM dozens of spun classes (NodeTest checks that
  // each component counts).
  @Override
  public boolean equals(Object o) {
    return o instanceof Node n && uid == n.uid && gid == n.gid && Objects.equals(name, n.name)
        && Objects.equals(type, n.type) && Objects.equals(mode, n.mode) && Objects.equals(mtime, n.mtime)
        && Objects.equals(atime, n.atime) && Objects.equals(ctime, n.ctime) && Objects.equals(user, n.user)
        && Objects.equals(group, n.group) && Objects.equals(inode, n.inode) && Objects.equals(deviceId, n.deviceId)
        && Objects.equals(size, n.size) && Objects.equals(links, n.links) && Objects.equals(linkTarget, n.linkTarget)
        && Objects.equals(device, n.device) && Objects.equals(content, n.content) && Objects.equals(subtree, n.subtree);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, mode, mtime, atime, ctime, uid, gid, user, group, inode, deviceId, size, links,
        linkTarget, device, content, subtree);
  }
}
