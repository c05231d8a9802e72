package io.holdfast.internal.repo;

/** The two kinds of blob a pack holds; they never share a pack. */
public enum BlobType {
  DATA("data"),
  TREE("tree");

  private final String json;

  BlobType(String json) {
    this.json = json;
  }

  /** The name used in index files. */
  public String json() {
    return json;
  }

  static BlobType fromJson(String s, String file) {
    for (BlobType t : values()) {
      if (t.json.equals(s)) {
        return t;
      }
    }
    throw new io.holdfast.RepositoryFormatException(file + ": unknown blob type '" + s + "'");
  }
}
