package io.holdfast.internal.archiver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The user and group names of numeric owners, as restic stores them next to uid and gid: looked up
 * once per distinct uid and gid (the first file met with that id is asked for its owner's names),
 * then served from memory, so a backup of a million files does a handful of lookups. An id without
 * a name (no passwd or group entry) gets none, as restic leaves the field out then. Thread-safe.
 */
final class OwnerNames {
  private final Map<Long, Optional<String>> users = new ConcurrentHashMap<>();
  private final Map<Long, Optional<String>> groups = new ConcurrentHashMap<>();

  /** The names of {@code p}'s owner ({@code uid}) and group ({@code gid}); null where there is none. */
  Names of(Path p, long uid, long gid) throws IOException {
    Optional<String> user = users.get(uid);
    Optional<String> group = groups.get(gid);
    if (user == null || group == null) {
      // One stat that gives ids and names together, so the names belong to the ids they are cached for.
      Map<String, Object> a = Files.readAttributes(p, "unix:uid,gid,owner,group", LinkOption.NOFOLLOW_LINKS);
      long u = ((Number) a.get("uid")).longValue();
      long g = ((Number) a.get("gid")).longValue();
      users.putIfAbsent(u, named(((UserPrincipal) a.get("owner")).getName(), u));
      groups.putIfAbsent(g, named(((GroupPrincipal) a.get("group")).getName(), g));
      user = users.get(uid);
      group = groups.get(gid);
      if (user == null || group == null) {
        // The owner changed between the two stats; record the ids without names rather than guess.
        return new Names(user == null ? null : user.orElse(null), group == null ? null : group.orElse(null));
      }
    }
    return new Names(user.orElse(null), group.orElse(null));
  }

  /** The JDK names an id it cannot look up by its number; restic stores no name then. */
  private static Optional<String> named(String name, long id) {
    return name == null || name.isEmpty() || name.equals(Long.toString(id)) ? Optional.empty() : Optional.of(name);
  }

  /** A user and a group name, either null when the id has no name. */
  record Names(String user, String group) {}
}
