package io.holdfast.internal.repo;

/** The kinds of file in a repository and where each lives: the format, not the store, picks keys. */
public enum FileType {
  CONFIG("config"),
  KEY("keys"),
  PACK("data"),
  INDEX("index"),
  SNAPSHOT("snapshots"),
  LOCK("locks");

  private final String dir;

  FileType(String dir) {
    this.dir = dir;
  }

  /** The key of the file named {@code id}; packs sit under a two-digit fan-out directory. */
  public String key(Id id) {
    if (this == CONFIG) {
      return dir;
    }
    String hex = id.hex();
    return this == PACK ? dir + "/" + hex.substring(0, 2) + "/" + hex : dir + "/" + hex;
  }

  /** The prefix under which every file of this type is listed. */
  public String prefix() {
    return this == CONFIG ? dir : dir + "/";
  }

  /** The id named by a listed key, or null for a key that is not an id (a stray file). */
  Id idOf(String key) {
    String name = key.substring(key.lastIndexOf('/') + 1);
    return Id.isId(name) ? Id.parse(name) : null;
  }
}
