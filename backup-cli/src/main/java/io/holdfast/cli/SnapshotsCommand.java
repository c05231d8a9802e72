package io.holdfast.cli;

import io.holdfast.internal.repo.Repository;
import io.holdfast.internal.repo.SnapshotFile;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code holdfast snapshots}: every snapshot, oldest first, as restic's table or a JSON array. */
@Command(name = "snapshots", description = "List the repository's snapshots.")
final class SnapshotsCommand implements Callable<Integer> {
  static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final String[] HEADERS = {"ID", "Time", "Host", "Tags", "Paths"};

  private final HoldfastCommand root;

  SnapshotsCommand(HoldfastCommand root) {
    this.root = root;
  }

  /** A snapshot in {@code --json} output, with the fields of restic's {@code snapshots --json}. */
  record SnapshotSummary(String time, String parent, String tree, List<String> paths, String hostname,
      String username, Long uid, Long gid, List<String> tags, String programVersion, String id, String shortId) {
    static SnapshotSummary of(Repository.Snapshot s) {
      SnapshotFile f = s.file();
      return new SnapshotSummary(f.time(), f.parent(), f.tree(), orEmpty(f.paths()), f.hostname(), f.username(),
          f.uid(), f.gid(), orEmpty(f.tags()), f.programVersion(), s.id().hex(), s.id().shortHex());
    }
  }

  static List<String> orEmpty(List<String> l) {
    return l == null ? List.of() : l;
  }

  @Override
  public Integer call() {
    List<Repository.Snapshot> all;
    try (LockedRepository r = root.openLocked()) {
      all = r.repo().snapshots();
    }
    if (root.json) {
      root.printJson(all.stream().map(SnapshotSummary::of).toList());
      return ExitCode.OK.code;
    }
    List<String[][]> rows = new ArrayList<>();
    for (Repository.Snapshot s : all) {
      rows.add(new String[][] {
          {s.id().shortHex()},
          {s.time().withZoneSameInstant(ZoneId.systemDefault()).format(TIME)},
          {s.file().hostname() == null ? "" : s.file().hostname()},
          {String.join(",", orEmpty(s.file().tags()))},
          orEmpty(s.file().paths()).stream().sorted().toArray(String[]::new)});
    }
    table(rows).forEach(root::say);
    root.say(all.size() + (all.size() == 1 ? " snapshot" : " snapshots"));
    return ExitCode.OK.code;
  }

  /**
   * restic's layout: a header, a rule, the rows, a rule. A cell may hold several lines (a
   * snapshot's paths); then the rows are set apart by empty lines.
   */
  static List<String> table(List<String[][]> rows) {
    return table(HEADERS, rows);
  }

  /** {@link #table(List)} with other columns. */
  static List<String> table(String[] headers, List<String[][]> rows) {
    int[] width = new int[headers.length];
    for (int c = 0; c < headers.length; c++) {
      width[c] = headers[c].length();
      for (String[][] row : rows) {
        for (String line : row[c]) {
          width[c] = Math.max(width[c], line.length());
        }
      }
    }
    List<String> out = new ArrayList<>();
    out.add(line(headers, width));
    int total = 0;
    for (int w : width) {
      total += w + 2;
    }
    String rule = "-".repeat(total - 2);
    out.add(rule);
    boolean multiline = rows.stream().anyMatch(row -> height(row) > 1);
    for (int r = 0; r < rows.size(); r++) {
      String[][] row = rows.get(r);
      if (multiline && r > 0) {
        out.add("");
      }
      for (int i = 0; i < height(row); i++) {
        String[] cells = new String[row.length];
        for (int c = 0; c < row.length; c++) {
          cells[c] = i < row[c].length ? row[c][i] : "";
        }
        out.add(line(cells, width));
      }
    }
    out.add(rule);
    return out;
  }

  private static int height(String[][] row) {
    int h = 1;
    for (String[] cell : row) {
      h = Math.max(h, cell.length);
    }
    return h;
  }

  private static String line(String[] cells, int[] width) {
    StringBuilder b = new StringBuilder();
    for (int c = 0; c < cells.length; c++) {
      b.append(cells[c]);
      if (c < cells.length - 1) {
        b.append(" ".repeat(width[c] - cells[c].length() + 2));
      }
    }
    return b.toString().stripTrailing();
  }
}
